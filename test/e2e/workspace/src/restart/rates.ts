export async function exchangeRate(from: string, to: string): Promise<number> {
  const res = await fetch(`https://rates.example.com/${from}/${to}`);
  return ((await res.json()) as { rate: number }).rate;
}
