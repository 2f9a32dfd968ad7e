/** Reads git's C-locale stderr to tell a passing network failure from a definitive refusal. */

/** HTTP statuses git reports that will not change on a retry. */
const DEFINITIVE = [
  /returned error: 4\d\d/i,
  /not our ref/i,
  /unadvertised object/i,
  /couldn't find remote ref/i,
  /no such remote ref/i,
  /access denied|not exported/i,
  /does not appear to be a git repository/i,
  /repository .* not found/i,
  /authentication failed/i,
];

const TRANSIENT = [
  /could not resolve host/i,
  /connection refused/i,
  /connection (timed out|reset)/i,
  /failed to connect/i,
  /unable to connect/i,
  /operation timed out/i,
  /early eof/i,
  /remote end hung up unexpectedly/i,
  /rpc failed/i,
  /returned error: 5\d\d/i,
  /ssl_connect|gnutls_handshake|tls connection/i,
  /network is unreachable/i,
  /temporary failure in name resolution/i,
];

/** True when git's stderr describes a failure worth retrying (connection, timeout, 5xx). */
export function isTransientGitFailure(stderr: string): boolean {
  if (DEFINITIVE.some((re) => re.test(stderr))) return false;
  return TRANSIENT.some((re) => re.test(stderr));
}
