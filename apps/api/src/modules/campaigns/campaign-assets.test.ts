import { describe, expect, it } from 'vitest';
import { imageTypeOf } from './campaign-assets.service';
import { JPEG_HEAD, PNG_1X1 } from './campaigns.fixtures';

const chunk = (type: string, data: Buffer) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
};
const PNG_SIGNATURE = PNG_1X1.subarray(0, 8);
const IHDR = PNG_1X1.subarray(8, 33);

describe('imageTypeOf', () => {
  it('reads PNG, JPEG and WebP from the bytes', async () => {
    expect(await imageTypeOf(PNG_1X1)).toBe('image/png');
    expect(await imageTypeOf(JPEG_HEAD)).toBe('image/jpeg');
    const webp = Buffer.concat([
      Buffer.from('RIFF'),
      Buffer.alloc(4),
      Buffer.from('WEBPVP8 '),
      Buffer.alloc(8),
    ]);
    expect(await imageTypeOf(webp)).toBe('image/webp');
  });

  it('takes an animated PNG for the PNG it is', async () => {
    const apng = Buffer.concat([
      PNG_SIGNATURE,
      IHDR,
      chunk('acTL', Buffer.alloc(8)),
      chunk('IDAT', Buffer.alloc(4)),
    ]);
    expect(await imageTypeOf(apng)).toBe('image/png');
  });

  it('refuses every other type, and bytes of no type', async () => {
    expect(await imageTypeOf(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))).toBeNull();
    expect(await imageTypeOf(Buffer.from('<svg onload=alert(1)>'))).toBeNull();
    expect(await imageTypeOf(Buffer.alloc(0))).toBeNull();
  });
});
