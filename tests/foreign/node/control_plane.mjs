// A Node.js team's CI script driving the sandbox's control plane (/_sandbox/, X-token only) with global
// fetch and node:http, no packages: reset, move the clock past a payin's expiry, plan a fault, receive a
// triggered outcome's webhook (verifying X-Signature as the docs say), read the delivery log, reset again.
//
// Environment: PAYCOMBAT_BASE_URL, PAYCOMBAT_TOKEN, PAYCOMBAT_SIGNATURE_KEY.
// Prints one JSON object per step: {call, method, url, status, raw}; the webhook step prints
// {call: "webhook", verified, payload (the text received)}. Credentials are never printed.

import crypto from 'node:crypto';
import http from 'node:http';

function env(name) {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`control_plane.mjs: set ${name}\n`);
    process.exit(2);
  }
  return value;
}

const base = env('PAYCOMBAT_BASE_URL').replace(/\/+$/, '');
const token = env('PAYCOMBAT_TOKEN');
const signatureKey = env('PAYCOMBAT_SIGNATURE_KEY');
const hmac = (text) => crypto.createHmac('sha256', signatureKey).update(text).digest('hex');

async function call(name, method, path, data, { signed = false } = {}) {
  const headers = { 'X-token': token };
  let body;
  if (data !== undefined) {
    body = JSON.stringify(data);
    headers['Content-Type'] = 'application/json';
    if (signed) headers.signature = hmac(body);  // API writes are signed; the control plane needs only X-token
  }
  const response = await fetch(base + path, { method, headers, body });
  const raw = await response.text();
  console.log(JSON.stringify({ call: name, method, url: path, status: response.status, raw }));
  return JSON.parse(raw);
}

// A webhook receiver: verifies HMAC-SHA256 of JSON.stringify(JSON.parse(body)) against X-Signature.
const received = [];
let notify = () => {};
const receiver = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    const verified = hmac(JSON.stringify(JSON.parse(text))) === request.headers['x-signature'];
    received.push({ verified, payload: text });
    response.writeHead(verified ? 200 : 401).end();
    notify();
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/hooks`;

function nextWebhook(timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no webhook arrived')), timeoutMs);
    const check = () => {
      if (received.length) {
        clearTimeout(timer);
        resolve(received.shift());
      }
    };
    notify = check;
    check();
  });
}

try {
  await call('reset', 'POST', '/_sandbox/reset');
  await call('clock', 'GET', '/_sandbox/clock');

  // The clock: a payin that expires in 48 h expires the moment the clock passes it.
  const payin = await call('payins.create', 'POST', '/api/v1/payin/create',
    { amount: '30.00', currency: 'AUD', payin_method_name: 'au_bank_npp' }, { signed: true });
  await call('clock.advance', 'POST', '/_sandbox/clock/advance', { seconds: 172800 });
  await call('payins.retrieve', 'GET', `/api/v1/payin/retrieve-payin/${payin.data.id}`);

  // Faults: the next merchant balance read fails once, then works.
  await call('faults.plan', 'POST', '/_sandbox/faults', { plan: { 'merchant.balance': ['error'] } });
  await call('merchant.balance.faulted', 'GET', '/api/v1/merchant/balance/AUD');
  await call('merchant.balance', 'GET', '/api/v1/merchant/balance/AUD');

  // An outcome, end to end: its webhook reaches this script's receiver, signed.
  await call('notification_url.set', 'PUT', '/_sandbox/notification-url', { notification_url: receiverUrl });
  const triggered = await call('trigger', 'POST', '/_sandbox/trigger',
    { event: 'payout.success', amount: '25.00', currency: 'AUD' });
  const webhook = await nextWebhook(10000);
  console.log(JSON.stringify({ call: 'webhook', ...webhook }));
  await call('webhooks', 'GET', '/_sandbox/webhooks?wait=5&event_type=PAYOUT%20SUCCESS');

  // Reset: the payout is gone, the balance is back at the seed's.
  await call('reset.again', 'POST', '/_sandbox/reset');
  await call('payouts.retrieve.after_reset', 'GET',
    `/api/v1/payout-method/retrieve-payout/${triggered.data.ids.payout_id}`);
} finally {
  receiver.close();
}
