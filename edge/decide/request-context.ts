import type { DeviceT } from '../contract';

/** The device class from the request, else from the User-Agent (tablets before phones: iPad and
 * Android tablets say "Mobile" less reliably than they say what they are). */
export function deviceOf(declared: DeviceT | undefined, userAgent: string | undefined): DeviceT {
  if (declared) return declared;
  const ua = userAgent ?? '';
  if (/iPad|Tablet|Android(?!.*Mobile)/i.test(ua)) return 'tablet';
  if (/Mobi|iPhone|iPod|Android/i.test(ua)) return 'mobile';
  return 'desktop';
}
