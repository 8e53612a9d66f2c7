// A Node.js client written from PayCombat's docs only: global fetch, and the docs' signing snippet
//   crypto.createHmac('sha256', signatureKey).update(JSON.stringify(data)).digest('hex')
// on every documented write, with the documented bodies (EVIDENCE.md S2-S5, S11-S13, S18, S1).
// Disable Customer is sent as the docs' curl sends it: PATCH with X-token only (no body, no signature).
//
// Environment: PAYCOMBAT_BASE_URL, PAYCOMBAT_TOKEN, PAYCOMBAT_SIGNATURE_KEY.
// Prints one JSON object per call: {call, method, url, status, raw (response text), sent (body text or
// null), headers_sent (header names)}; a call whose input an earlier call did not deliver prints
// {call, status: null, skipped: <why>}. Credentials are never printed.

import crypto from 'node:crypto';

function env(name) {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`docs_client.mjs: set ${name}\n`);
    process.exit(2);
  }
  return value;
}

const base = env('PAYCOMBAT_BASE_URL').replace(/\/+$/, '');
const token = env('PAYCOMBAT_TOKEN');
const signatureKey = env('PAYCOMBAT_SIGNATURE_KEY');

const sign = (data) => crypto.createHmac('sha256', signatureKey).update(JSON.stringify(data)).digest('hex');

async function call(name, method, path, { data, signed = true } = {}) {
  const headers = { 'X-token': token };
  let body;
  if (data !== undefined) {
    body = JSON.stringify(data);
    if (signed) headers.signature = sign(data);
    headers['Content-Type'] = 'application/json';
  }
  const line = { call: name, method, url: path, headers_sent: Object.keys(headers), sent: body ?? null };
  try {
    const response = await fetch(base + path, { method, headers, body });
    line.status = response.status;
    line.raw = await response.text();
  } catch (error) {
    line.status = null;
    line.error = String(error && error.stack || error);
  }
  console.log(JSON.stringify(line));
  try {
    return JSON.parse(line.raw);
  } catch {
    return undefined;
  }
}

function skip(name, why) {
  console.log(JSON.stringify({ call: name, status: null, skipped: why }));
}

// -- customers (S2, S3, S4) ------------------------------------------------------------------------
const created = await call('customers.create', 'POST', '/api/v1/customer/create', {
  data: {
    description: 'Café customer from the Node docs client',
    type: 'individual',
    individual: {
      first_name: 'Ada',
      last_name: 'Lovelace',
      address_country: 'AU',
      dob: '1990-12-10',
      nationality: 'AU',
      address_line1: 'Unit 4/12 George Street',
      address_city: 'Sydney',
      identification_type: 'PASSPORT',
      identification_value: 'PA1234567',
    },
  },
});
const customerId = created?.data?.customer_id;

if (customerId) {
  await call('customers.update', 'PATCH', '/api/v1/customer/update', {
    data: {
      customer_id: customerId,
      description: 'Updated by the Node docs client',
      individual: { phone_country_code: '61', phone_number: '412345678' },
    },
  });
  await call('customers.retrieve', 'GET', `/api/v1/customer/customer/${encodeURIComponent(customerId)}`);
  // -- wallets (S18) ---------------------------------------------------------------------------------
  await call('wallets.create', 'POST', '/wallet/create', {
    data: { customer_id: customerId, currency: 'AUD', currency_list: ['AUD'] },
  });
} else {
  for (const name of ['customers.update', 'customers.retrieve', 'wallets.create']) {
    skip(name, 'customers.create returned no data.customer_id');
  }
}

// -- checkout (S12, S13, S11) ------------------------------------------------------------------------
const methods = await call('payin_methods.list', 'GET', '/api/v1/payin-method?currency=EUR');
const eurMethod = Array.isArray(methods?.data)
  ? methods.data.find((method) => method.currency === 'EUR')?.payin_method_name
  : undefined;

const orderItems = [
  { product_name: 'Notebook', quantity: 2, unit_price: 25 },
  { product_name: 'Pen', quantity: 3, unit_price: 2.5 },
];
const orderFees = [{ fee_name: 'Shipping', fee_amount: 7.5 }];
const amount = orderItems.reduce((sum, item) => sum + item.unit_price * item.quantity, 0)
  + orderFees.reduce((sum, fee) => sum + fee.fee_amount, 0); // 65: "The amount field must match …"
const paymentRequest = await call('checkouts.create_payment_request', 'POST', '/api/v1/checkout/payment-request', {
  data: {
    amount,
    currency: 'EUR',
    country_code: 'EU',
    description: 'Order 2026/11-0042',
    redirect_url: 'https://merchant.example/thanks',
    advanced_redirect_url: {
      cancelled_url: 'https://merchant.example/cancelled',
      completed_url: 'https://merchant.example/completed',
      expired_url: 'https://merchant.example/expired',
      failed_url: 'https://merchant.example/failed',
    },
    order_items: orderItems,
    order_fees: orderFees,
    additional_info: {
      customer_name: 'Ada Lovelace',
      customer_email: 'ada@example.com',
      transaction_date: '2026-11-30',
    },
  },
});
const checkoutId = paymentRequest?.data?.id;
const checkoutToken = paymentRequest?.data?.checkout_token;

if (checkoutId) {
  await call('checkouts.retrieve', 'GET', `/api/v1/checkout/retrieve/${encodeURIComponent(checkoutId)}`);
} else {
  skip('checkouts.retrieve', 'checkouts.create_payment_request returned no data.id');
}
if (checkoutToken && eurMethod) {
  await call('checkouts.create_new_checkout', 'PATCH', '/api/v1/checkout', {
    data: { checkout_token: checkoutToken, payin_method_name: eurMethod },
  });
} else {
  skip('checkouts.create_new_checkout',
    checkoutToken ? 'GET /api/v1/payin-method?currency=EUR listed no EUR method' : 'no checkout_token');
}

// -- disable customer (S5): exactly the docs' curl: PATCH with X-token only ---------------------------
if (customerId) {
  await call('customers.disable', 'PATCH', `/api/v1/customer/disable/${encodeURIComponent(customerId)}`);
  await call('customers.retrieve_after_disable', 'GET',
    `/api/v1/customer/customer/${encodeURIComponent(customerId)}`);
} else {
  skip('customers.disable', 'customers.create returned no data.customer_id');
  skip('customers.retrieve_after_disable', 'customers.create returned no data.customer_id');
}

// -- payout (S1 body, the docs' signing) --------------------------------------------------------------
await call('payouts.create', 'POST', '/api/v1/payout/create-payout', {
  data: {
    payout_beneficiary_param: {
      individual: { first_name: 'Ada' },
      account_number: '87654321',
      bsb: '062-001',
    },
    sender_amount: 40,
    sender_currency: 'AUD',
    sender_country: 'AU',
    beneficiary_amount: 40,
    beneficiary_currency: 'AUD',
    payout_method_name: 'au_bank_acct',
    order_id: 'node-docs-0001',
    purpose_code: 'SELF',
    description: 'Refund 2026/11',
  },
});
