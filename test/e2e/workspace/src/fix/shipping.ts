export async function shippingQuote(postcode: string): Promise<number> {
  const res = await fetch(`https://shipping.example.com/quotes?postcode=${encodeURIComponent(postcode)}`);
  const body = (await res.json()) as { price: number };
  return body.price;
}
