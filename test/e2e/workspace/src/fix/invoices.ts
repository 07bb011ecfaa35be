import axios from 'axios';

export async function fetchInvoice(id: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await axios.get(`https://billing.example.com/invoices/${id}`, { timeout: 5000 });
    } catch (err) {
      if (attempt === 2) throw err;
    }
  }
}
