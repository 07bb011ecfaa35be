import axios from 'axios';

const inventory = axios.create({ baseURL: process.env.INVENTORY_URL });

export async function reserve(sku: string, quantity: number): Promise<boolean> {
  const { data } = await inventory.post('/reservations', { sku, quantity });
  return data.reserved === true;
}

export async function shippingQuote(postcode: string): Promise<number> {
  const res = await fetch(`https://shipping.example.com/quotes?postcode=${encodeURIComponent(postcode)}`);
  const body = (await res.json()) as { price: number };
  return body.price;
}

export async function reserveWithRetry(sku: string, quantity: number): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await reserve(sku, quantity);
    } catch (err) {
      // try again
    }
  }
  return false;
}
