/** How long the retry after `failures` consecutive failed deliveries waits: doubling from `minMs`, never above `maxMs`. */
export function retryDelayMs(failures: number, minMs: number, maxMs: number): number {
  return Math.min(maxMs, minMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
}
