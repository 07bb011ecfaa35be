import Stripe from 'stripe';

const key = 'sk_live_Zq8vN3kR7tY2wX5bM1cH9dJ4';
export const stripe = new Stripe(key, { timeout: 10000 });
