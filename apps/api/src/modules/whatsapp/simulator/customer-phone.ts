import { readFileSync } from 'node:fs';
import { textField } from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appAsset } from '../../../platform/assets';
import { AppError } from '../../../platform/errors';
import type { CloudApiSimulator } from './cloud-api-simulator';

/**
 * The "customer phone": a small page, served by the simulator, where a newcomer writes to a demo branch's number
 * as a customer would on WhatsApp and watches the shop's replies arrive with their ticks. Plain HTML and one script
 * file (no inline script: the app's Content-Security-Policy allows scripts from our origin only); it polls the
 * chat, and showing the shop's messages is reading them (their `read` webhooks go to the CRM).
 */

const asset = (name: string) => readFileSync(appAsset(`modules/whatsapp/simulator/phone/${name}`));
const page = asset('index.html');
const script = asset('phone.js');

const waId = z
  .string()
  .trim()
  .regex(/^\d{5,20}$/, "the customer's number, digits only with the country code");
const numberId = z.string().regex(/^\d{5,30}$/, 'a phone number id of the simulator');

export const customerPhoneRoutes: FastifyPluginAsyncZod<{ simulator: CloudApiSimulator }> = async (
  app,
  { simulator },
) => {
  const hide = { hide: true };

  app.get('/simulator/whatsapp/phone', { schema: hide }, (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page),
  );
  app.get('/simulator/whatsapp/phone.js', { schema: hide }, (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(script),
  );

  app.get('/simulator/whatsapp/phone/numbers', { schema: hide }, async () => ({
    items: simulator.listNumbers(),
  }));

  app.get(
    '/simulator/whatsapp/phone/chat',
    { schema: { ...hide, querystring: z.object({ phoneNumberId: numberId, from: waId }) } },
    async (request) => ({ items: simulator.chatView(request.query.phoneNumberId, request.query.from) }),
  );

  app.post(
    '/simulator/whatsapp/customer-messages',
    {
      schema: {
        ...hide,
        body: z.object({
          phoneNumberId: numberId,
          from: waId,
          name: textField().trim().max(100).optional(),
          text: textField().trim().min(1, 'write something').max(4096),
        }),
      },
    },
    async (request) => {
      const known = simulator.listNumbers().some((n) => n.phoneNumberId === request.body.phoneNumberId);
      if (!known) {
        throw new AppError('NOT_FOUND', 'The simulator has no such number', {
          errors: [{ path: 'phoneNumberId', message: 'not a number of this simulator' }],
        });
      }
      return simulator.customerSays(request.body);
    },
  );
};
