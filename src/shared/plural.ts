/** "1 message", "3 messages", "2 people": a count and its noun in words people read. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}
