// The browser history the router reads, and navigation for code outside a component (the sign-in
// callback's `navigate(to, true)`): one history object, so the router sees every change.
import { createBrowserHistory } from '@tanstack/react-router';

export const history = createBrowserHistory();

export function navigate(to: string, replace = false): void {
  if (replace) history.replace(to);
  else history.push(to);
}
