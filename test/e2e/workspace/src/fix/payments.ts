import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function chargeOrder(order: { id: string; total: number }) {
  const intent = await stripe.paymentIntents.create({
    amount: order.total,
    currency: 'eur',
    metadata: { orderId: order.id },
  });
  return intent.client_secret;
}
