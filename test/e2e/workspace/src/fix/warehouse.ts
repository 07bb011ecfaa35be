import axios from 'axios';

export async function createShipment(orderId: string, items: string[]): Promise<string> {
  const { data } = await axios.post('https://warehouse.example.com/shipments', { orderId, items });
  return data.id as string;
}
