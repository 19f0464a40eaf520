import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  hkdfSync,
  randomBytes,
  verify as verifySignature,
} from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

/**
 * A push service on a local port, and the browser's side of Web Push, written from the RFCs with node:crypto so
 * that they check the sender rather than mirror it: each device is a P-256 key pair and an auth secret (what a
 * browser hands over as PushSubscription.toJSON()); each push received is decrypted as RFC 8291 says (aes128gcm,
 * RFC 8188) and its VAPID header verified as RFC 8292 says (an ES256 JWT for this origin, signed by the key it names).
 * A device can be told to answer 404, 410 or 503 instead of 201.
 */

export interface ReceivedPush {
  device: string;
  headers: IncomingHttpHeaders;
  /** The decrypted payload. */
  plaintext: string;
  /** The VAPID public key the push was signed with (base64url), once the signature and claims checked out. */
  vapidKey: string;
  claims: { aud: string; exp: number; sub: string };
}

export interface Device {
  name: string;
  /** What the browser would send to POST /me/push-subscriptions. */
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  answer: number;
}

const b64u = (data: Buffer) => data.toString('base64url');

function hkdf(salt: Buffer, ikm: Buffer, info: Buffer, length: number) {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

/** RFC 8291 §3.4 and RFC 8188 §2: the one record a push carries, decrypted with the device's private key. */
export function decryptPush(
  body: Buffer,
  device: { ecdh: ReturnType<typeof createECDH>; auth: Buffer },
): string {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body.readUInt8(20);
  const senderPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  if (ciphertext.length > recordSize) throw new Error('more than one record: a push payload is one');
  const receiverPublic = device.ecdh.getPublicKey();
  const sharedSecret = device.ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), receiverPublic, senderPublic]);
  const ikm = hkdf(device.auth, sharedSecret, keyInfo, 32);
  const cek = hkdf(salt, ikm, Buffer.from('Content-Encoding: aes128gcm\0'), 16);
  const nonce = hkdf(salt, ikm, Buffer.from('Content-Encoding: nonce\0'), 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([
    decipher.update(ciphertext.subarray(0, ciphertext.length - 16)),
    decipher.final(),
  ]);
  // The last record ends with the delimiter 0x02, then zero or more zero bytes of padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('the record does not end with the last-record delimiter');
  return padded.subarray(0, end).toString('utf8');
}

/** RFC 8292: `vapid t=<JWT>, k=<public key>`, the JWT ES256-signed by that key, for the endpoint's origin. */
export function verifyVapid(header: string | undefined, origin: string) {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!match?.[1] || !match[2]) throw new Error(`not a VAPID authorization: ${header}`);
  const [token, key] = [match[1], match[2]];
  const [head, body, signature] = token.split('.');
  if (!head || !body || !signature) throw new Error('not a JWT');
  const point = Buffer.from(key, 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const publicKey = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)) },
    format: 'jwk',
  });
  const signed = verifySignature(
    'sha256',
    Buffer.from(`${head}.${body}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) throw new Error('the VAPID signature does not verify');
  const header_ = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg: string };
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as ReceivedPush['claims'];
  if (header_.alg !== 'ES256') throw new Error(`alg ${header_.alg}`);
  if (claims.aud !== origin) throw new Error(`aud ${claims.aud}, expected ${origin}`);
  if (!(claims.exp * 1000 > Date.now()) || claims.exp * 1000 > Date.now() + 24 * 3600_000) {
    throw new Error(`exp ${claims.exp} is not within the next 24 hours`);
  }
  if (!/^(mailto:|https:)/.test(claims.sub)) throw new Error(`sub ${claims.sub}`);
  return { vapidKey: key, claims };
}

/**
 * Push services are reached over https only (web-push speaks nothing else), so this one has a certificate of its own
 * for 127.0.0.1: `cert` is what the process that sends must trust (`https.globalAgent.options.ca`).
 */
export async function startPushService() {
  const tls = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const devices = new Map<string, Device & { ecdh: ReturnType<typeof createECDH>; auth: Buffer }>();
  const received: ReceivedPush[] = [];
  const refused: { device: string; reason: string }[] = [];
  let count = 0;

  const server = createServer({ key: tls.private, cert: tls.cert }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const name = decodeURIComponent((request.url ?? '').replace(/^\/push\//, ''));
      const device = devices.get(name);
      if (!device || request.method !== 'POST') {
        response.writeHead(404).end();
        return;
      }
      if (device.answer !== 201) {
        response.writeHead(device.answer).end();
        return;
      }
      try {
        if (request.headers['content-encoding'] !== 'aes128gcm') throw new Error('not aes128gcm');
        const { vapidKey, claims } = verifyVapid(request.headers.authorization, origin);
        const plaintext = decryptPush(Buffer.concat(chunks), device);
        received.push({ device: name, headers: request.headers, plaintext, vapidKey, claims });
        response.writeHead(201).end();
      } catch (error) {
        refused.push({ device: name, reason: String(error) });
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    cert: tls.cert,
    received,
    /** Pushes that arrived but did not decrypt or verify: a test expects none. */
    refused,
    /** A browser of its own: fresh keys, and an endpoint on this service. */
    device(answer = 201): Device {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const name = `device-${++count}-${randomBytes(4).toString('hex')}`;
      const device = {
        name,
        answer,
        ecdh,
        auth,
        subscription: {
          endpoint: `${origin}/push/${name}`,
          keys: { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(auth) },
        },
      };
      devices.set(name, device);
      return device;
    },
    /** What the device now answers (410 once its browser dropped the subscription). */
    answer(device: Device, status: number) {
      const known = devices.get(device.name);
      if (known) known.answer = status;
    },
    pushesTo(device: Device) {
      return received.filter((push) => push.device === device.name);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type PushService = Awaited<ReturnType<typeof startPushService>>;
