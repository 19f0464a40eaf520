import { demoInfoSchema } from '@techmarket/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const CUSTOMER_PHONE_PATH = '/simulator/whatsapp/phone';

/**
 * What a logged-out visitor may know about this server's demo: where the customer phone page is, when the Cloud
 * API simulator is on (the login page links it: "Probar como cliente"). Null on every real deployment.
 */
export const demoRoutes: FastifyPluginAsyncZod<{ customerPhone: boolean }> = async (
  app,
  { customerPhone },
) => {
  app.get(
    '/demo',
    {
      schema: {
        tags: ['whatsapp'],
        summary: 'The demo on this server: the WhatsApp customer phone page, when the simulator is on',
        security: [],
        response: { 200: demoInfoSchema },
      },
    },
    async () => ({ customerPhoneUrl: customerPhone ? CUSTOMER_PHONE_PATH : null }),
  );
};
