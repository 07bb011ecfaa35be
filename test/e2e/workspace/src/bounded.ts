import axios from 'axios';

const api = axios.create({ baseURL: 'https://api.example.com', timeout: 5000 });

export async function health(): Promise<boolean> {
  const res = await fetch('https://status.example.com/health', { signal: AbortSignal.timeout(2000) });
  if (!res.ok) return false;
  const { data } = await api.get('/ping');
  return data === 'pong';
}
