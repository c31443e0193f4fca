import { asCourierCode, type CourierCode } from "../ids.js";

/** One carrier as each tracking provider spells it. Our canonical code is the Kuaidi100 one (lowercase). */
export interface CarrierInfo {
  code: CourierCode;
  nameZh: string;
  nameEn: string;
  kuaidi100?: string;
  /** 17TRACK integer carrier key (shared/reference/couriers.md §2.7; re-check against 17TRACK's list). */
  seventeen?: number;
  /** Kdniao ShipperCode (§4.6). */
  kdniao?: string;
  /** Providers require the recipient phone (last 4 digits) for this carrier. */
  needsPhone?: boolean;
  /** Number shapes that suggest this carrier; candidates only, never an override of what the seller said. */
  patterns?: RegExp[];
  /** Other spellings operators type: "sf", "zto", "顺丰". */
  aliases?: string[];
}

const c = (info: Omit<CarrierInfo, "code"> & { code: string }): CarrierInfo => ({
  ...info,
  code: asCourierCode(info.code),
});

/** The carriers we know by name. Others still work with providers that auto-detect (17TRACK). */
export const CARRIERS: readonly CarrierInfo[] = [
  c({
    code: "shunfeng",
    nameZh: "顺丰速运",
    nameEn: "SF Express",
    kuaidi100: "shunfeng",
    seventeen: 100012,
    kdniao: "SF",
    needsPhone: true,
    patterns: [/^SF\d{12,13}$/i],
    aliases: ["sf", "sfexpress", "顺丰"],
  }),
  c({
    code: "zhongtong",
    nameZh: "中通快递",
    nameEn: "ZTO Express",
    kuaidi100: "zhongtong",
    seventeen: 190455,
    kdniao: "ZTO",
    needsPhone: true,
    patterns: [/^7[3568]\d{10}(\d{2})?$/],
    aliases: ["zto", "中通"],
  }),
  c({
    code: "yuantong",
    nameZh: "圆通速递",
    nameEn: "YTO Express",
    kuaidi100: "yuantong",
    seventeen: 190157,
    kdniao: "YTO",
    patterns: [/^YT\d{13}$/i],
    aliases: ["yto", "圆通"],
  }),
  c({
    code: "shentong",
    nameZh: "申通快递",
    nameEn: "STO Express",
    kuaidi100: "shentong",
    seventeen: 190324,
    kdniao: "STO",
    patterns: [/^77\d{13}$/],
    aliases: ["sto", "申通"],
  }),
  c({
    code: "yunda",
    nameZh: "韵达快递",
    nameEn: "Yunda Express",
    kuaidi100: "yunda",
    kdniao: "YD",
    patterns: [/^(43|46|31|33)\d{11}$/],
    aliases: ["yd", "yunda", "韵达"],
  }),
  c({
    code: "jtexpress",
    nameZh: "极兔速递",
    nameEn: "J&T Express",
    kuaidi100: "jtexpress",
    seventeen: 190442,
    kdniao: "JTSD",
    patterns: [/^JT\d{13}$/i],
    aliases: ["jt", "jtsd", "极兔"],
  }),
  c({
    code: "jd",
    nameZh: "京东物流",
    nameEn: "JD Logistics",
    kuaidi100: "jd",
    kdniao: "JD",
    patterns: [/^JD[A-Z0-9]{11,13}$/i],
    aliases: ["jdl", "京东"],
  }),
  c({
    code: "ems",
    nameZh: "EMS",
    nameEn: "China EMS",
    kuaidi100: "ems",
    seventeen: 3013,
    kdniao: "EMS",
    patterns: [/^E[A-Z]\d{9}CN$/i, /^1\d{12}$/],
    aliases: ["chinaems"],
  }),
  c({
    code: "youzhengguonei",
    nameZh: "邮政快递包裹",
    nameEn: "China Post",
    kuaidi100: "youzhengguonei",
    seventeen: 3011,
    kdniao: "YZPY",
    patterns: [/^[RLCU][A-Z]\d{9}CN$/i, /^9\d{12}$/],
    aliases: ["chinapost", "yzpy", "邮政"],
  }),
  c({
    code: "debangkuaidi",
    nameZh: "德邦快递",
    nameEn: "Deppon",
    kuaidi100: "debangkuaidi",
    seventeen: 190174,
    kdniao: "DBL",
    patterns: [/^DPK\d{12}$/i],
    aliases: ["deppon", "dbl", "德邦"],
  }),
  c({
    code: "huitongkuaidi",
    nameZh: "百世快递",
    nameEn: "Best Express",
    kuaidi100: "huitongkuaidi",
    kdniao: "HTKY",
    aliases: ["best", "htky", "百世"],
  }),
  c({
    code: "zhaijisong",
    nameZh: "宅急送",
    nameEn: "ZJS Express",
    kuaidi100: "zhaijisong",
    kdniao: "ZJS",
    aliases: ["zjs"],
  }),
  c({
    code: "youshuwuliu",
    nameZh: "优速",
    nameEn: "UC Express",
    kuaidi100: "youshuwuliu",
    kdniao: "UC",
    aliases: ["uc"],
  }),
  c({
    code: "danniao",
    nameZh: "丹鸟",
    nameEn: "Danniao",
    kuaidi100: "danniao",
    seventeen: 190271,
    aliases: ["cainiao", "菜鸟"],
  }),
  c({
    code: "ups",
    nameZh: "UPS",
    nameEn: "UPS",
    kuaidi100: "ups",
    seventeen: 100002,
    kdniao: "UPS",
    patterns: [/^1Z[0-9A-Z]{16}$/i],
  }),
  c({ code: "dhl", nameZh: "DHL", nameEn: "DHL Express", kuaidi100: "dhl", seventeen: 100001, kdniao: "DHL" }),
  c({ code: "fedex", nameZh: "FedEx", nameEn: "FedEx", kuaidi100: "fedex", seventeen: 100003, kdniao: "FEDEX" }),
  c({ code: "yanwen", nameZh: "燕文", nameEn: "Yanwen", kuaidi100: "yanwen", seventeen: 190012, aliases: ["燕文"] }),
];

const byCode = new Map(CARRIERS.map((x) => [x.code as string, x]));
const byAlias = new Map<string, CarrierInfo>();
for (const x of CARRIERS) {
  for (const a of [x.code, x.kuaidi100, x.kdniao, x.nameZh, x.nameEn, ...(x.aliases ?? [])]) {
    if (a) byAlias.set(a.toLowerCase().replace(/[\s&-]/g, ""), x);
  }
}

/** The carrier behind a canonical code, if we know it. */
export const carrierInfo = (code: string): CarrierInfo | undefined => byCode.get(code);

/**
 * Resolves what an operator or a channel typed ("SF", "zto", "顺丰", "shunfeng", "J&T") to our code.
 * An unknown but well-formed code passes through lowercased (17TRACK can still auto-detect it).
 */
export function normalizeCarrier(input: string): CourierCode | undefined {
  const key = input
    .trim()
    .toLowerCase()
    .replace(/[\s&-]/g, "");
  if (!key) return undefined;
  const hit = byAlias.get(key);
  if (hit) return hit.code;
  return /^[a-z0-9_]{1,40}$/.test(key) ? asCourierCode(key) : undefined;
}

/** Carriers whose number patterns match, most specific first (candidates; numbers overlap between carriers). */
export function detectCarrierLocally(trackingNo: string): CourierCode[] {
  const n = trackingNo.trim();
  return CARRIERS.filter((x) => x.patterns?.some((p) => p.test(n))).map((x) => x.code);
}

/** The Kuaidi100 `com` code for a carrier (ours is the same spelling unless mapped). */
export const toKuaidi100 = (code: CourierCode): string => carrierInfo(code)?.kuaidi100 ?? code;
/** Our code for a Kuaidi100 `com` code. */
export const fromKuaidi100 = (com: string): CourierCode =>
  CARRIERS.find((x) => x.kuaidi100 === com)?.code ?? asCourierCode(com.toLowerCase());
/** The 17TRACK carrier key, or undefined (then 17TRACK auto-detects). */
export const toSeventeen = (code: CourierCode): number | undefined => carrierInfo(code)?.seventeen;
/** Our code for a 17TRACK carrier key, when we know it. */
export const fromSeventeen = (key: number): CourierCode | undefined => CARRIERS.find((x) => x.seventeen === key)?.code;
/** The Kdniao ShipperCode, or undefined when Kdniao does not know this carrier under our tables. */
export const toKdniao = (code: CourierCode): string | undefined => carrierInfo(code)?.kdniao;
/** Our code for a Kdniao ShipperCode. */
export const fromKdniao = (shipper: string): CourierCode | undefined =>
  CARRIERS.find((x) => x.kdniao === shipper.toUpperCase())?.code;
/** Display name "顺丰速运 (shunfeng)". */
export const carrierLabel = (code: string): string => {
  const info = carrierInfo(code);
  return info ? `${info.nameZh} (${code})` : code;
};
