<?php
/*
 * Replays the public PHP/Laravel gateway's PayCombat payout call (EVIDENCE.md S1, §5 "Which bytes
 * are signed") against a PayCombat base URL, with curl.
 *
 *   POST {base}/api/v1/payout/create-payout
 *   headers  X-token, signature, Content-Type: application/json
 *   body     json_encode($data)  -- default flags, as Guzzle's 'json' => $data sends it:
 *                                   '/' goes out as '\/', non-ASCII as \uXXXX
 *   signature hash_hmac('sha256', json_encode($data, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), $key)
 *            (SettlementCommand / MerchantApiController), or, PHP-1's way (PayoutRequestController),
 *            hash_hmac('sha256', json_encode($data), $key): exactly the bytes it sends.
 *
 * Environment: PAYCOMBAT_BASE_URL, PAYCOMBAT_TOKEN, PAYCOMBAT_SIGNATURE_KEY, ORDER_ID_BASE (an integer:
 * the gateway sends its own DB id as order_id). Prints one JSON object per call:
 * {call, method, url, order_id, status, raw (the response text), sent (body bytes), signed (signed bytes)}.
 * Credentials are never printed.
 */

declare(strict_types=1);

function env_or_die(string $name): string
{
    $value = getenv($name);
    if ($value === false || $value === '') {
        fwrite(STDERR, "gateway_payout.php: set $name\n");
        exit(2);
    }
    return $value;
}

$base = rtrim(env_or_die('PAYCOMBAT_BASE_URL'), '/');
$personal_access_token = env_or_die('PAYCOMBAT_TOKEN');
$signatureKey = env_or_die('PAYCOMBAT_SIGNATURE_KEY');
$orderIdBase = (int) env_or_die('ORDER_ID_BASE');

/** The gateway's $dataPaycombat, key for key (S1), for an AUD bank-account payout. */
function payout_data(int $orderId, $amount): array
{
    return [
        "payout_beneficiary_param" => [
            "individual" => ["first_name" => "Grace"],
            "account_number" => "12345678",
            "bsb" => "062-000",
        ],
        "sender_amount" => $amount,
        "sender_currency" => 'AUD',
        "sender_country" => 'AU',
        "beneficiary_amount" => $amount,
        "beneficiary_currency" => 'AUD',
        "payout_method_name" => 'au_bank_acct',
        "order_id" => $orderId,            // $data->id: an integer DB id
        "purpose_code" => 'SELF',
        // a '/' and a non-ASCII name: default json_encode sends "Invoice 2026\/11 for Zo\u00eb"
        "description" => "Invoice 2026/11 for Zoë",
    ];
}

/** One create-payout call; $signing is 'unescaped' (PHP-2/PHP-3) or 'default' (PHP-1); $key overrides the key. */
function create_payout(string $call, array $dataPaycombat, string $signing, ?string $key = null): array
{
    global $base, $personal_access_token, $signatureKey;
    $sent = json_encode($dataPaycombat);  // what Guzzle's 'json' => $dataPaycombat puts on the wire
    $signed = $signing === 'default'
        ? json_encode($dataPaycombat)
        : json_encode($dataPaycombat, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
    if ($sent === false || $signed === false) {
        fwrite(STDERR, "gateway_payout.php: json_encode failed: " . json_last_error_msg() . "\n");
        exit(3);
    }
    $signature = hash_hmac('sha256', $signed, $key ?? $signatureKey);
    $headers = [
        'X-token: ' . $personal_access_token,
        'signature: ' . $signature,
        'Content-Type: application/json',
    ];
    $url = $base . '/api/v1/payout/create-payout';
    $ch = curl_init($url);
    curl_setopt_array($ch, [
        CURLOPT_POST => true,
        CURLOPT_POSTFIELDS => $sent,
        CURLOPT_HTTPHEADER => $headers,
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_TIMEOUT => 10,
    ]);
    $raw = curl_exec($ch);
    $line = [
        'call' => $call,
        'method' => 'POST',
        'url' => $url,
        'order_id' => $dataPaycombat['order_id'],
        'signing' => $signing,
        'status' => $raw === false ? null : curl_getinfo($ch, CURLINFO_RESPONSE_CODE),
        'raw' => $raw === false ? null : $raw,
        'error' => $raw === false ? curl_error($ch) : null,
        'sent' => $sent,
        'signed' => $signed,
    ];
    curl_close($ch);
    echo json_encode($line, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE), "\n";
    return $line;
}

// amounts as PHP ints (testPAYCOMBAT: "sender_amount" => 100), signed with the unescaped flags
create_payout('int_amount', payout_data($orderIdBase, 100), 'unescaped');
// the same DB id again with the same body: the same payout, not a second one
create_payout('int_amount_replay', payout_data($orderIdBase, 100), 'unescaped');
// amounts from a Laravel decimal column: a string such as "150.00"
create_payout('string_amount', payout_data($orderIdBase + 1, "150.00"), 'unescaped');
// PayoutRequestController (PHP-1): signs json_encode($data) with default flags, i.e. the bytes it sends
create_payout('default_flags', payout_data($orderIdBase + 2, 100), 'default');
// control: the same call signed with a wrong key must be refused (the signature is really checked)
create_payout('wrong_key', payout_data($orderIdBase + 3, 100), 'unescaped', $signatureKey . '0');
