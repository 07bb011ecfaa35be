export async function forwardWebhook(payload: unknown): Promise<void> {
  if (payload !== null) {
    await fetch('https://hooks.example.com/forward', { method: 'POST', body: JSON.stringify(payload) });
  }
}
