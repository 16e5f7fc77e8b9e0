/** A headline figure: label above, value below, marked when it needs attention. */
export function Figure({ label, value, testId, warn }: { label: string; value: string; testId: string; warn?: boolean }) {
  return (
    <div className={`figure${warn ? " figure-warn" : ""}`}>
      <div className="figure-label">{label}</div>
      <div className="figure-value" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}
