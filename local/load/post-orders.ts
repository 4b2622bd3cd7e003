/**
 * Posts many orders at once to a REST API and records when each was sent and what came
 * back: the load half of the end-to-end test and of the benchmark.
 */
export interface PostedOrder {
  readonly body: string;
  readonly status: number;
  readonly response: string;
  /** The order id the API returned, when it accepted the order. */
  readonly orderId?: string;
  /** performance.timeOrigin-based epoch ms, comparable with Date.now(). */
  readonly sentAt: number;
}

export async function postOrdersConcurrently(url: string, bodies: readonly string[]): Promise<PostedOrder[]> {
  return Promise.all(
    bodies.map(async (body) => {
      const sentAt = Date.now();
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await response.text();
      return { body, status: response.status, response: text, orderId: orderIdOf(text), sentAt };
    }),
  );
}

function orderIdOf(response: string): string | undefined {
  try {
    const parsed = JSON.parse(response) as { orderId?: unknown };
    return typeof parsed.orderId === 'string' && parsed.orderId !== '' ? parsed.orderId : undefined;
  } catch {
    return undefined;
  }
}
