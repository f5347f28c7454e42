const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Base64 of the UTF-8 bytes of `text` (`btoa` alone only takes Latin-1). */
export function encodeBase64(text: string): string {
  let binary = '';
  for (const byte of encoder.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The UTF-8 text encoded in `base64`; throws if it is not base64 or not UTF-8. */
export function decodeBase64(base64: string): string {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return decoder.decode(bytes);
}
