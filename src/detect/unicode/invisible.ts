/**
 * Invisible and formatting code points that change nothing a reader sees but can split keywords or carry
 * hidden data. References: Unicode Default_Ignorable_Code_Point (DerivedCoreProperties.txt), UTS #9
 * (bidi controls), Unicode tag block U+E0000–E007F, variation selectors (U+FE00–FE0F, U+E0100–E01EF).
 */

/** Kind of an invisible code point. */
export type InvisibleKind = 'zero-width' | 'bidi' | 'tag' | 'variation-selector' | 'format';

/** Classifies a code point as invisible, or returns undefined for visible ones. */
export function invisibleKind(codePoint: number): InvisibleKind | undefined {
  if (codePoint < 0xad) return undefined;
  if (codePoint >= 0xe0000) {
    if (codePoint <= 0xe007f) return 'tag';
    if (codePoint >= 0xe0100 && codePoint <= 0xe01ef) return 'variation-selector';
    return undefined;
  }
  if (codePoint >= 0xfe00 && codePoint <= 0xfe0f) return 'variation-selector';
  if (codePoint >= 0x180b && codePoint <= 0x180d) return 'variation-selector';
  if (codePoint === 0x180f) return 'variation-selector';
  switch (codePoint) {
    case 0x200b:
    case 0x200c:
    case 0x200d:
    case 0x2060:
    case 0x2061:
    case 0x2062:
    case 0x2063:
    case 0x2064:
    case 0xfeff:
    case 0x180e:
    case 0x115f:
    case 0x1160:
    case 0x3164:
    case 0xffa0:
    case 0x17b4:
    case 0x17b5:
      return 'zero-width';
    case 0x200e:
    case 0x200f:
    case 0x061c:
      return 'bidi';
    case 0x00ad:
    case 0x034f:
      return 'format';
    default:
      break;
  }
  if (codePoint >= 0x202a && codePoint <= 0x202e) return 'bidi';
  if (codePoint >= 0x2066 && codePoint <= 0x2069) return 'bidi';
  if (codePoint >= 0x206a && codePoint <= 0x206f) return 'format';
  if (codePoint >= 0x1d173 && codePoint <= 0x1d17a) return 'format';
  return undefined;
}
