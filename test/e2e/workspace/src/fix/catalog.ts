import express from 'express';

export const app = express();
app.use(express.json());

app.get('/products/:id', (req, res) => {
  res.json({ id: req.params.id });
});
