// The sketch's binary form: little-endian float64s and unsigned LEB128 varints (zigzag for signed
// deltas), read strictly so that a truncated or padded value is an error, not a wrong sketch.

export class SketchFormatError extends Error {}

export const zigzag = (n: number) => (n >= 0 ? n * 2 : -n * 2 - 1);
export const unzigzag = (n: number) => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private at = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }
  private room(k: number): void {
    if (this.at + k <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.at + k));
    next.set(this.buf);
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  byte(b: number): void {
    this.room(1);
    this.buf[this.at++] = b;
  }
  /** unsigned LEB128, safe up to 2^53 */
  varint(n: number): void {
    this.room(8);
    while (n >= 0x80) {
      this.buf[this.at++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.at++] = n;
  }
  float64(x: number): void {
    this.room(8);
    this.view.setFloat64(this.at, x, true);
    this.at += 8;
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.at);
  }
}

export class ByteReader {
  private at = 0;
  private readonly view: DataView;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  byte(): number {
    if (this.at >= this.buf.length) throw new SketchFormatError("truncated sketch");
    return this.buf[this.at++];
  }
  varint(): number {
    let n = 0;
    let scale = 1;
    for (let k = 0; k < 8; k++) {
      const b = this.byte();
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
    throw new SketchFormatError("varint too long");
  }
  float64(): number {
    if (this.at + 8 > this.buf.length) throw new SketchFormatError("truncated sketch");
    const x = this.view.getFloat64(this.at, true);
    this.at += 8;
    return x;
  }
  atEnd(): boolean {
    return this.at === this.buf.length;
  }
}
