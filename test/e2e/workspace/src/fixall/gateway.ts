import axios from 'axios';

export async function loadProfile(userId: string): Promise<unknown> {
  const res = await fetch(`https://profiles.example.com/users/${userId}`);
  return res.json();
}

export async function loadOrders(userId: string): Promise<unknown> {
  const { data } = await axios.get(`https://orders.example.com/users/${userId}/orders`);
  return data;
}

export async function notify(userId: string, message: string): Promise<void> {
  await fetch('https://notify.example.com/messages', {
    method: 'POST',
    body: JSON.stringify({ userId, message }),
  });
}
