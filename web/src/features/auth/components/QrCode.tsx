import { encode } from "uqr";

/** A QR code drawn as SVG squares from the encoded matrix (no markup strings, nothing fetched). */
export function QrCode({ value, label, size = 180 }: { value: string; label: string; size?: number }) {
  const { data } = encode(value, { ecc: "M", border: 2 });
  const n = data.length;
  // One path of unit squares: a few hundred modules are one element, not hundreds.
  const path = data.flatMap((row, y) => row.map((dark, x) => (dark ? `M${x} ${y}h1v1h-1z` : ""))).join("");
  return (
    <svg width={size} height={size} viewBox={`0 0 ${n} ${n}`} role="img" aria-label={label} shapeRendering="crispEdges">
      <rect width={n} height={n} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
