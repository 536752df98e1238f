import { errorText } from '../lib/errors';

/** An error from the API in words, announced. */
export function ErrorText({ error, id }: { error: unknown; id?: string }) {
  return <p className="error" role="alert" id={id}>{errorText(error)}</p>;
}
