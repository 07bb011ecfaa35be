import axios from 'axios';

export async function currentPrice(sku: string): Promise<number> {
  const { data } = await axios.get(`https://prices.example.com/skus/${sku}`);
  return data.price as number;
}
