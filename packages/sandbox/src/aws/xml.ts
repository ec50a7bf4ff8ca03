/** A tiny XML writer for awsQuery responses. */

export type XmlValue = string | number | boolean | Date | null | undefined | XmlObject | XmlList;
export interface XmlObject {
  [name: string]: XmlValue;
}

/** A list whose items are wrapped in <member> or a model-specific name such as <DBInstance>. */
export class XmlList {
  constructor(
    readonly memberName: string,
    readonly items: readonly XmlValue[],
  ) {}
}

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

export function toXml(name: string, value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (value instanceof XmlList)
    return `<${name}>${value.items.map((item) => toXml(value.memberName, item)).join('')}</${name}>`;
  if (typeof value === 'object')
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => toXml(k, v))
      .join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}
