/** One server-sent event; `data` is JSON on one line, so it can't break the framing. */
export function sseFrame(event: string, data: unknown, id?: string): string {
  return `event: ${event}\n${id !== undefined ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
}
