// The API key lives in this tab's sessionStorage only (D12). `npm start` prints a link whose
// fragment carries the demo key (`/#key=…`): browsers never send fragments to the server, and we
// drop it from the address bar as soon as it is read. GraphiQL's page reads the same entry.
export const API_KEY_STORAGE_KEY = 'aos-logs.apiKey';

/** Moves a `#key=…` fragment into sessionStorage and out of the address bar; returns the key taken. */
export function takeKeyFromFragment(): string | null {
  const key = new URLSearchParams(location.hash.slice(1)).get('key');
  if (!key) return null;
  sessionStorage.setItem(API_KEY_STORAGE_KEY, key);
  history.replaceState(history.state, '', location.pathname + location.search);
  return key;
}

export const readApiKey = (): string | null => sessionStorage.getItem(API_KEY_STORAGE_KEY);
export const saveApiKey = (key: string): void => sessionStorage.setItem(API_KEY_STORAGE_KEY, key.trim());
export const forgetApiKey = (): void => sessionStorage.removeItem(API_KEY_STORAGE_KEY);
