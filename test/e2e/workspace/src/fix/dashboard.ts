import axios from 'axios';

export async function dashboard(userId: string) {
  const profile = await axios.get(`https://profiles.example.com/users/${userId}`, { timeout: 5000 });
  const news = await axios.get('https://news.example.com/latest', { timeout: 5000 });
  return { profile: profile.data, news: news.data };
}
