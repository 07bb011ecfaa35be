import { paymentWithoutIdempotencyKey } from '../../server/src/rules/payment-without-idempotency-key';
import { runRuleTests } from '../helpers/ruleTester';

runRuleTests(paymentWithoutIdempotencyKey, {
  valid: [
    {
      name: 'subscription updates that set state land the same on a retry (cancel flag, trial end date, item replaced by id)',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function scheduleCancel(subscriptionId: string) {
  return stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true, cancellation_details: { comment: 'user request' } });
}
export async function changePlan(subscription: Stripe.Subscription, priceId: string) {
  await stripe.subscriptions.update(subscription.id, {
    items: [{ id: subscription.items.data[0].id, price: priceId }],
    proration_behavior: 'none',
  });
}`,
    },
    {
      name: 'subscription update params the rule cannot read',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function applyChanges(id: string, params: Stripe.SubscriptionUpdateParams) {
  return stripe.subscriptions.update(id, params);
}`,
    },
    {
      name: 'PaymentIntent created with an idempotency key',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function pay(order: Order) {
  return stripe.paymentIntents.create(
    { amount: order.total, currency: 'eur', metadata: { orderId: order.id } },
    { idempotencyKey: \`order-\${order.id}\` },
  );
}`,
    },
    {
      name: 'key passed through an options variable built in view',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function refund(paymentIntent: string, key: string) {
  const opts = { idempotencyKey: key };
  return stripe.refunds.create({ payment_intent: paymentIntent }, opts);
}`,
    },
    {
      name: 'options passed in from the caller (cannot see them)',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export function createTransfer(params: Stripe.TransferCreateParams, options: Stripe.RequestOptions) {
  return stripe.transfers.create(params, options);
}`,
    },
    {
      name: 'spread options',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export function payout(amount: number, base: Stripe.RequestOptions) {
  return stripe.payouts.create({ amount, currency: 'usd' }, { ...base, stripeAccount: 'acct_1' });
}`,
    },
    {
      name: 'reads and webhooks are not side effects',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function handler(req: Request, sig: string) {
  const event = stripe.webhooks.constructEvent(await req.text(), sig, process.env.WH_SECRET!);
  const customers = await stripe.customers.list({ limit: 10 });
  const intent = await stripe.paymentIntents.retrieve('pi_123');
  return { event, customers, intent };
}`,
    },
    {
      name: 'short-lived sessions, links and keys: duplicates are harmless',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function checkout(customer: string) {
  const session = await stripe.checkout.sessions.create({ customer, mode: 'payment', line_items: [] });
  const portal = await stripe.billingPortal.sessions.create({ customer });
  const key = await stripe.ephemeralKeys.create({ customer }, { apiVersion: '2024-06-20' });
  return { session, portal, key };
}`,
    },
    {
      name: 'an object that merely has a create method is not Stripe',
      code: `import { repo } from './repo';
export async function save(order: Order) {
  return repo.orders.create(order);
}`,
    },
    {
      name: 'Adyen payment with request options',
      code: `import { Client, CheckoutAPI } from '@adyen/api-library';
const client = new Client({ apiKey: process.env.ADYEN_API_KEY!, environment: 'TEST' });
const checkout = new CheckoutAPI(client);
export async function pay(request: PaymentRequest, orderId: string) {
  return checkout.PaymentsApi.payments(request, { idempotencyKey: \`payment-\${orderId}\` });
}`,
    },
    {
      name: 'suppressed with a reason',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function seed() {
  // failpath-ignore-next-line payment-without-idempotency-key -- test-mode fixture seeding, run once by hand
  await stripe.customers.create({ email: 'fixture@example.com' });
}`,
    },
    {
      name: 'idempotencyKey written in the params object is accepted',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export const topUp = (amount: number, key: string) => stripe.topups.create({ amount, currency: 'usd', idempotencyKey: key });`,
    },
  ],
  invalid: [
    {
      name: 'subscription updates that bill now or add an item can charge twice',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function endTrialNow(subscriptionId: string) {
  await stripe.subscriptions.update(subscriptionId, { trial_end: 'now' });
}
export async function addSeatAddon(subscriptionId: string, addonPriceId: string) {
  await stripe.subscriptions.update(subscriptionId, { items: [{ price: addonPriceId, quantity: 1 }], proration_behavior: 'create_prorations' });
}`,
      errors: [{ messageId: 'missingKey', line: 4 }, { messageId: 'missingKey', line: 7 }],
    },
    {
      name: 'PaymentIntent created in an Express handler; key from metadata.orderId',
      code: `import express from 'express';
import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const app = express();
app.post('/orders/:id/pay', async (req, res) => {
  const order = await orders.get(req.params.id);
  const intent = await stripe.paymentIntents.create({
    amount: order.total,
    currency: 'eur',
    metadata: { orderId: order.id },
  });
  res.json({ clientSecret: intent.client_secret });
});`,
      errors: [{ messageId: 'missingKey', line: 7, column: 24 }],
      output: `import express from 'express';
import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const app = express();
app.post('/orders/:id/pay', async (req, res) => {
  const order = await orders.get(req.params.id);
  const intent = await stripe.paymentIntents.create({
    amount: order.total,
    currency: 'eur',
    metadata: { orderId: order.id },
  }, { idempotencyKey: \`payment-intent-\${order.id}\` });
  res.json({ clientSecret: intent.client_secret });
});`,
    },
    {
      name: 'require(\'stripe\')(key) client; key from an orderId in scope',
      code: `const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
async function chargeOrder(orderId, amount, customer) {
  return stripe.paymentIntents.create({ amount, currency: 'usd', customer, confirm: true });
}
module.exports = { chargeOrder };`,
      fileName: 'billing.js',
      errors: [{ messageId: 'missingKey', line: 3 }],
      output: `const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
async function chargeOrder(orderId, amount, customer) {
  return stripe.paymentIntents.create({ amount, currency: 'usd', customer, confirm: true }, { idempotencyKey: \`payment-intent-\${orderId}\` });
}
module.exports = { chargeOrder };`,
    },
    {
      name: 'refund keyed by a refund request id, merged into existing options',
      code: `import Stripe from 'stripe';
const stripe = Stripe(process.env.STRIPE_SECRET_KEY!);
export async function processRefund(refundRequestId: string, paymentIntent: string, account: string) {
  return stripe.refunds.create({ payment_intent: paymentIntent }, { stripeAccount: account });
}`,
      errors: [{ messageId: 'missingKey', line: 4 }],
      output: `import Stripe from 'stripe';
const stripe = Stripe(process.env.STRIPE_SECRET_KEY!);
export async function processRefund(refundRequestId: string, paymentIntent: string, account: string) {
  return stripe.refunds.create({ payment_intent: paymentIntent }, { stripeAccount: account, idempotencyKey: \`refund-\${refundRequestId}\` });
}`,
    },
    {
      name: 'refund with only an order id in view: flagged, no fix (partial refunds would collide)',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function refundOrder(orderId: string, paymentIntent: string, amount: number) {
  await stripe.refunds.create({ payment_intent: paymentIntent, amount, metadata: { orderId } });
}`,
      errors: [{ messageId: 'missingKey', line: 4 }],
      output: null,
    },
    {
      name: 'capture: the PaymentIntent id keys it, params padded with {}',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function ship(order: { paymentIntentId: string }) {
  await stripe.paymentIntents.capture(order.paymentIntentId);
}`,
      errors: [{ messageId: 'missingKey', line: 4 }],
      output: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function ship(order: { paymentIntentId: string }) {
  await stripe.paymentIntents.capture(order.paymentIntentId, {}, { idempotencyKey: \`capture-\${order.paymentIntentId}\` });
}`,
    },
    {
      name: 'confirm without a stable key in view: flagged, no fix (a new card after a decline must not reuse the key)',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function confirm(id: string, paymentMethod: string) {
  return stripe.paymentIntents.confirm(id, { payment_method: paymentMethod });
}`,
      errors: [{ messageId: 'missingKey', line: 4 }],
      output: null,
    },
    {
      name: 'an idempotency key read from the request is used as it is',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function createCustomer(req: Request) {
  const idempotencyKey = req.headers.get('Idempotency-Key') ?? undefined;
  const body = await req.json();
  return stripe.customers.create({ email: body.email });
}`,
      errors: [{ messageId: 'missingKey', line: 6 }],
      output: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function createCustomer(req: Request) {
  const idempotencyKey = req.headers.get('Idempotency-Key') ?? undefined;
  const body = await req.json();
  return stripe.customers.create({ email: body.email }, { idempotencyKey });
}`,
    },
    {
      name: 'customer created for a user: keyed by the user id from destructuring',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function ensureCustomer(user: { id: string; email: string }) {
  const { id: userId, email } = user;
  return stripe.customers.create({ email, metadata: { userId } });
}`,
      errors: [{ messageId: 'missingKey', line: 5 }],
      output: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function ensureCustomer(user: { id: string; email: string }) {
  const { id: userId, email } = user;
  return stripe.customers.create({ email, metadata: { userId } }, { idempotencyKey: \`customer-\${userId}\` });
}`,
    },
    {
      name: 'NestJS service with an injected Stripe client; transfer without a stable id: no fix',
      code: `import { Injectable } from '@nestjs/common';
import Stripe from 'stripe';
@Injectable()
export class PayoutsService {
  constructor(private readonly stripe: Stripe) {}
  async paySeller(sellerAccount: string, amount: number) {
    return this.stripe.transfers.create({ amount, currency: 'eur', destination: sellerAccount });
  }
}`,
      errors: [{ messageId: 'missingKey', line: 7 }],
      output: null,
    },
    {
      name: 'client kept on a class field, in a queue worker',
      code: `import Stripe from 'stripe';
export class InvoiceWorker {
  private stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
  async handle(job: { data: { invoiceId: string } }) {
    await this.stripe.invoices.finalizeInvoice(job.data.invoiceId);
  }
}`,
      errors: [{ messageId: 'missingKey', line: 5 }],
      output: `import Stripe from 'stripe';
export class InvoiceWorker {
  private stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
  async handle(job: { data: { invoiceId: string } }) {
    await this.stripe.invoices.finalizeInvoice(job.data.invoiceId, {}, { idempotencyKey: \`finalize-invoice-\${job.data.invoiceId}\` });
  }
}`,
    },
    {
      name: 'idempotencyKey: undefined is replaced',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function subscribe(checkoutId: string, customer: string, price: string) {
  return stripe.subscriptions.create({ customer, items: [{ price }] }, { idempotencyKey: undefined });
}`,
      errors: [{ messageId: 'missingKey', line: 4 }],
      output: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function subscribe(checkoutId: string, customer: string, price: string) {
  return stripe.subscriptions.create({ customer, items: [{ price }] }, { idempotencyKey: \`subscription-\${checkoutId}\` });
}`,
    },
    {
      name: 'Adyen payment without request options',
      code: `import { Client, CheckoutAPI } from '@adyen/api-library';
const client = new Client({ apiKey: process.env.ADYEN_API_KEY!, environment: 'TEST' });
const checkout = new CheckoutAPI(client);
export async function pay(orderId: string, request: PaymentRequest) {
  return checkout.PaymentsApi.payments(request);
}`,
      errors: [{ messageId: 'missingKey', line: 5 }],
      output: `import { Client, CheckoutAPI } from '@adyen/api-library';
const client = new Client({ apiKey: process.env.ADYEN_API_KEY!, environment: 'TEST' });
const checkout = new CheckoutAPI(client);
export async function pay(orderId: string, request: PaymentRequest) {
  return checkout.PaymentsApi.payments(request, { idempotencyKey: \`payment-\${orderId}\` });
}`,
    },
    {
      name: 'Adyen capture keyed by the pspReference',
      code: `import { Client, CheckoutAPI } from '@adyen/api-library';
const checkout = new CheckoutAPI(new Client({ apiKey: process.env.ADYEN_API_KEY!, environment: 'TEST' }));
export async function capture(pspReference: string, amount: Amount) {
  return checkout.ModificationsApi.captureAuthorisedPayment(pspReference, { amount, merchantAccount: 'Shop' });
}`,
      errors: [{ messageId: 'missingKey', line: 4 }],
      output: `import { Client, CheckoutAPI } from '@adyen/api-library';
const checkout = new CheckoutAPI(new Client({ apiKey: process.env.ADYEN_API_KEY!, environment: 'TEST' }));
export async function capture(pspReference: string, amount: Amount) {
  return checkout.ModificationsApi.captureAuthorisedPayment(pspReference, { amount, merchantAccount: 'Shop' }, { idempotencyKey: \`capture-authorised-payment-\${pspReference}\` });
}`,
    },
  ],
});
