/** Key and value rows of an attribute or label map, inside a `dl.attributes`; non-text values as JSON. */
export function AttributeRows({ attributes }: { attributes: Readonly<Record<string, unknown>> }) {
  return (
    <>
      {Object.entries(attributes).map(([key, value]) => (
        <div key={key} className="attribute">
          <dt className="mono">{key}</dt>
          <dd className="mono">{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </>
  );
}
