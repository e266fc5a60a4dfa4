/**
 * Secrets recognised by their shape: vendor token formats (compared with gitleaks' and
 * secretlint's rule sets), webhook URLs, command-line credentials and Authorization headers.
 * Each rule masks its `value` group when it has one, else the whole match, so the evidence around
 * a secret (scheme, host, port, database, webhook workspace) stays readable.
 *
 * Every quantifier is bounded and there is no nested repetition: matching stays linear in the
 * length of a tool result.
 */
export interface ShapeRule {
  kind: string;
  re: RegExp;
}

/** A token that starts with a fixed prefix: not glued to a letter or digit on either side. */
const token = (kind: string, source: string, flags = ''): ShapeRule => ({ kind, re: new RegExp(`(?<![A-Za-z0-9])(?:${source})(?![A-Za-z0-9])`, `g${flags}`) });

export const TOKEN_SHAPES: readonly ShapeRule[] = [
  token('aws-access-key-id', '(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|AROA|ANPA|ANVA|A3T[A-Z0-9])[A-Z0-9]{16}'),
  token('github-token', 'gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,251}'),
  token('gitlab-token', 'gl(?:pat|ptt|rt|dt|cbt|imt|ft|oas|soat|ffct|agent)-[A-Za-z0-9_.-]{20,300}|GR1348941[A-Za-z0-9_-]{20,40}'),
  token('slack-token', 'xox[abposre]-[A-Za-z0-9-]{10,250}|xapp-\\d-[A-Za-z0-9-]{10,250}'),
  token('api-key', 'sk-(?:ant-|proj-|svcacct-|admin-|live-|test-)?[A-Za-z0-9_-]{20,300}'),
  token('stripe-key', '(?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{10,250}'),
  token('stripe-webhook-secret', 'whsec_[A-Za-z0-9+/=]{20,250}'),
  token('google-api-key', 'AIza[A-Za-z0-9_-]{35}'),
  token('google-oauth', 'ya29\\.[A-Za-z0-9_-]{20,2048}|GOCSPX-[A-Za-z0-9_-]{20,64}'),
  token('sendgrid-key', 'SG\\.[A-Za-z0-9_-]{16,32}\\.[A-Za-z0-9_-]{20,64}'),
  token('twilio-key', 'SK[0-9a-fA-F]{32}'),
  token('twilio-account-sid', 'AC[0-9a-f]{32}'),
  token('mailgun-key', 'key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}'),
  token('mailchimp-key', '[0-9a-f]{32}-us\\d{1,2}'),
  token('npm-token', 'npm_[A-Za-z0-9]{36}'),
  token('pypi-token', 'pypi-AgE[A-Za-z0-9_-]{50,1000}'),
  token('rubygems-token', 'rubygems_[a-f0-9]{48}'),
  token('jwt', 'eyJ[A-Za-z0-9_-]{5,4096}\\.eyJ[A-Za-z0-9_-]{5,8192}\\.[A-Za-z0-9_-]{5,4096}'),
  token('vault-token', 'hv[sbr]\\.[A-Za-z0-9_-]{24,300}'),
  token('terraform-token', '[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}'),
  token('digitalocean-token', 'do[opr]_v1_[a-f0-9]{64}'),
  token('huggingface-token', 'hf_[A-Za-z]{30,40}|api_org_[A-Za-z]{30,40}'),
  token('shopify-token', 'shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}'),
  token('square-token', 'sq0(?:atp|csp)-[A-Za-z0-9_-]{22,60}'),
  token('linear-key', 'lin_(?:api|oauth)_[A-Za-z0-9]{40}'),
  token('notion-token', 'ntn_[A-Za-z0-9]{40,50}|secret_[A-Za-z0-9]{43}'),
  token('postman-key', 'PMAK-[a-f0-9]{24}-[a-f0-9]{34}'),
  token('doppler-token', 'dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}'),
  token('dynatrace-token', 'dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}', 'i'),
  token('grafana-token', 'glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|eyJrIjoi[A-Za-z0-9]{70,400}={0,2}'),
  token('newrelic-key', 'NR(?:AK|II|JS|AA)-[A-Za-z0-9]{19,40}'),
  token('atlassian-token', 'ATATT3[A-Za-z0-9_=-]{100,300}'),
  token('databricks-token', 'dapi[a-f0-9]{32}(?:-\\d)?'),
  token('pulumi-token', 'pul-[a-f0-9]{40}'),
  token('age-secret-key', 'AGE-SECRET-KEY-1[0-9A-Z]{58}'),
  token('1password-token', 'ops_eyJ[A-Za-z0-9+/]{100,4096}={0,3}'),
  token('azure-ad-client-secret', '[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}'),
  token('alibaba-key', 'LTAI[A-Za-z0-9]{20}'),
  token('heroku-key', 'HRKU-[A-Za-z0-9_-]{58,80}'),
  token('sentry-token', 'sntry[us]_[A-Za-z0-9+/=_]{40,400}'),
  token('ai-api-key', 'pplx-[A-Za-z0-9]{48}|gsk_[A-Za-z0-9]{48,60}'),
  token('artifactory-key', 'AKCp[A-Za-z0-9]{69}|cmVmd[A-Za-z0-9]{59}'),
  token('facebook-token', 'EAA[CM][A-Za-z0-9]{100,400}'),
  token('tailscale-key', 'tskey-[A-Za-z0-9-]{20,100}'),
  token('figma-token', 'figd_[A-Za-z0-9_-]{40,100}'),
  token('supabase-token', 'sbp_[a-f0-9]{40}'),
  token('planetscale-token', 'pscale_(?:tkn|oauth|pw)_[A-Za-z0-9_=.-]{32,64}'),
];

/**
 * Secrets that sit inside a URL or header. The `value` group is the secret alone: the scheme,
 * host, port, path and the webhook's workspace ids stay.
 */
export const EMBEDDED_SHAPES: readonly ShapeRule[] = [
  // Also inside the Bot API's URL path: https://api.telegram.org/bot<token>/sendMessage.
  { kind: 'telegram-bot-token', re: /(?:(?<=\/bot)|(?<![A-Za-z0-9]))\d{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g },
  { kind: 'slack-webhook', re: /hooks\.slack\.com\/(?:services|workflows|triggers)\/(?:[A-Za-z0-9]{1,40}\/){1,4}(?<value>[A-Za-z0-9]{16,64})/dg },
  { kind: 'discord-webhook', re: /discord(?:app)?\.com\/api\/webhooks\/\d{5,30}\/(?<value>[A-Za-z0-9_-]{40,100})/dg },
  { kind: 'teams-webhook', re: /\.webhook\.office\.com\/webhookb2\/[^\s/]{1,200}\/IncomingWebhook\/(?<value>[0-9a-f]{32})/dg },
  // Command lines: curl -u user:password, mysql -pPASSWORD (-p alone prompts), and .netrc lines.
  { kind: 'curl-credentials', re: /(?<![\w-])(?:-u|--user)(?:[ \t]{1,4}|=)["']?[^\s:'"]{1,128}:(?<value>[^\s'"]{1,256})/dg },
  { kind: 'mysql-password', re: /(?<![\w-])mysql(?:dump|admin)?[ \t][^\n]{0,200}?[ \t]-p(?<value>[^\s'"-][^\s'"]{0,255})/dg },
  { kind: 'netrc-password', re: /(?<![\w-])login[ \t]{1,4}\S{1,128}[ \t]{1,4}password[ \t]{1,4}(?<value>\S{1,256})/dg },
  // docker login -p X, redis-cli -a X, sshpass -p X (also -pX and -p'X'): a password as a short flag.
  { kind: 'docker-password', re: /(?<![\w-])docker[ \t]{1,4}login(?:[ \t][^\n]{0,200}?)?[ \t]-p(?:[ \t]{1,4}|=)["']?(?<value>[^\s'"-][^\s'"]{0,255})/dg },
  { kind: 'redis-password', re: /(?<![\w-])redis-cli(?:[ \t][^\n]{0,200}?)?[ \t](?:-a|--pass)[ \t]{1,4}["']?(?<value>[^\s'"-][^\s'"]{0,255})/dg },
  { kind: 'sshpass-password', re: /(?<![\w-])sshpass[ \t]{1,4}-p[ \t]{0,4}["']?(?<value>[^\s'"-][^\s'"]{0,255})/dg },
  // SMTP's AUTH PLAIN: base64 of \0user\0password.
  { kind: 'smtp-credentials', re: /(?<![\w-])AUTH[ \t]{1,4}PLAIN[ \t]{1,4}(?<value>[A-Za-z0-9+/]{8,1024}={0,2})(?![\w+/=])/dgi },
  // Go's MySQL driver DSN: user:password@tcp(host:port)/db — no scheme, so the URL rule misses it.
  { kind: 'dsn-password', re: /(?<![\w.-])[\w.-]{1,64}:(?<value>[^\s@/]{1,256})@(?:tcp|udp|unix)\(/dg },
  {
    kind: 'authorization',
    re: /(?<![\w-])(?:proxy-)?authorization\\?["']?[ \t]{0,4}[:=][ \t]{0,4}\\?["']?(?:(?:bearer|basic|token|digest|negotiate|ntlm|apikey|api-key|key|sso-key|ssws|dsn|splunk|geniekey)[ \t]{1,4})?(?<value>[^\s"',;\\]{1,4096})/dgi,
  },
  // A token after the word, not `token_type=Bearer expires_in=3600`: long, with a digit.
  { kind: 'bearer-token', re: /(?<![\w-])bearer[ \t]{1,4}(?<value>(?=[A-Za-z._~+/-]{0,4096}\d)[A-Za-z0-9._~+/-]{16,4096}={0,2})(?![\w=])/dgi },
];
