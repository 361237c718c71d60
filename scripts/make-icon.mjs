// Draws the app icon (stacked flame-graph bars on a dark tile) as PNGs with no image
// library: raw RGBA rows, deflated, in PNG chunks. Run once; the PNGs are committed.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};

function icon(size) {
  const px = Buffer.alloc(size * size * 4);
  const s = size / 512;
  const bars = [
    // [x0, x1, y0, y1, rgb] in 512-space, root at the bottom like a flame graph
    [64, 448, 392, 440, [217, 72, 15]],
    [64, 336, 336, 384, [240, 120, 30]],
    [344, 448, 336, 384, [250, 176, 5]],
    [64, 240, 280, 328, [250, 160, 50]],
    [248, 336, 280, 328, [232, 89, 12]],
    [64, 176, 224, 272, [255, 190, 80]],
    [184, 240, 224, 272, [245, 130, 40]],
    [64, 128, 168, 216, [255, 212, 59]],
  ];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const r = 96 * s;
      const dx = Math.max(r - x, 0, x - (size - 1 - r));
      const dy = Math.max(r - y, 0, y - (size - 1 - r));
      if (dx * dx + dy * dy > r * r) continue;
      let rgb = [30, 30, 36];
      for (const [x0, x1, y0, y1, c] of bars) {
        if (x >= x0 * s && x < x1 * s && y >= y0 * s && y < y1 * s) rgb = c;
      }
      px[i] = rgb[0];
      px[i + 1] = rgb[1];
      px[i + 2] = rgb[2];
      px[i + 3] = 255;
    }
  }
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++)
    px.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync('resources/icons', { recursive: true });
writeFileSync('resources/icons/icon.png', icon(512));
for (const size of [512, 256, 128, 64, 32])
  writeFileSync(`resources/icons/${size}x${size}.png`, icon(size));
console.log('wrote resources/icons/*.png');
