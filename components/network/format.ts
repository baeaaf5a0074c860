/** 12,345: the same on the server and in every browser locale (toLocaleString is not). */
export function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
