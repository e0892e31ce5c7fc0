/**
 * Copies text for the share button: the async Clipboard API where the page may use it, else the
 * old selection + execCommand path (still the only one in some embedded browsers). Resolves to
 * false when neither worked, so the caller can show the link for copying by hand.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Permission refused or document not focused: try the fallback.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'visually-hidden';
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    // Deprecated, but still the only copy path where the Clipboard API is missing or refused.
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}
