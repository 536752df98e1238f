/** The database named in a MongoDB URI, or "tobakshjalpen" when the URI names none. */
export function dbNameOf(uri: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri);
  return match?.[1] ? decodeURIComponent(match[1]) : 'tobakshjalpen';
}
