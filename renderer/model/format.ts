// Number formatting as `go tool pprof` prints it (internal/measurement), plus friendlier UI forms.

interface Unit {
  name: string;
  aliases: string[];
  factor: number;
}

interface UnitType {
  units: Unit[];
  defaultUnit: Unit;
}

const unitTypes: UnitType[] = [
  {
    units: [
      { name: 'B', aliases: ['b', 'byte'], factor: 1 },
      { name: 'kB', aliases: ['kb', 'kbyte', 'kilobyte'], factor: 2 ** 10 },
      { name: 'MB', aliases: ['mb', 'mbyte', 'megabyte'], factor: 2 ** 20 },
      { name: 'GB', aliases: ['gb', 'gbyte', 'gigabyte'], factor: 2 ** 30 },
      { name: 'TB', aliases: ['tb', 'tbyte', 'terabyte'], factor: 2 ** 40 },
      { name: 'PB', aliases: ['pb', 'pbyte', 'petabyte'], factor: 2 ** 50 },
    ],
    defaultUnit: { name: 'B', aliases: ['b', 'byte'], factor: 1 },
  },
  {
    units: [
      { name: 'ns', aliases: ['ns', 'nanosecond'], factor: 1 },
      { name: 'us', aliases: ['μs', 'us', 'microsecond'], factor: 1e3 },
      { name: 'ms', aliases: ['ms', 'millisecond'], factor: 1e6 },
      { name: 's', aliases: ['s', 'sec', 'second'], factor: 1e9 },
      { name: 'hrs', aliases: ['hour', 'hr'], factor: 3600e9 },
    ],
    defaultUnit: { name: 's', aliases: [], factor: 1e9 },
  },
];

function sniffUnit(ut: UnitType, unit: string): Unit | null {
  let u = unit.toLowerCase();
  if (u.length > 2 && u.endsWith('s')) u = u.slice(0, -1);
  return ut.units.find((x) => x.aliases.includes(u)) ?? null;
}

function autoScale(ut: UnitType, value: number): [number, string] | null {
  let f = 0;
  let name = '';
  for (const u of ut.units) {
    if (u.factor >= f && value / u.factor >= 1) {
      f = u.factor;
      name = u.name;
    }
  }
  return f === 0 ? null : [value / f, name];
}

/** pprof's measurement.Scale: converts to `toUnit`, or the best unit when toUnit is "auto"/"minimum". */
export function scaleValue(value: number, fromUnit: string, toUnit = 'auto'): [number, string] {
  if (value < 0) {
    const [v, u] = scaleValue(-value, fromUnit, toUnit);
    return [-v, u];
  }
  for (const ut of unitTypes) {
    const from = sniffUnit(ut, fromUnit);
    if (!from) continue;
    const v = value * from.factor;
    if (toUnit === 'minimum' || toUnit === 'auto') {
      return autoScale(ut, v) ?? [v / ut.defaultUnit.factor, ut.defaultUnit.name];
    }
    const to = sniffUnit(ut, toUnit);
    return to ? [v / to.factor, to.name] : [v / ut.defaultUnit.factor, ut.defaultUnit.name];
  }
  switch (toUnit) {
    case 'count':
    case 'sample':
    case 'unit':
    case 'minimum':
    case 'auto':
      return [value, ''];
    default:
      return [value, toUnit];
  }
}

/**
 * `x` with `frac` decimals as Go's strconv prints it: correctly rounded, exact ties to even
 * (512.625 → "512.62"), where toFixed rounds them away from zero ("512.63"). A tie is exact
 * when the double's own decimal expansion ends in 5 right after the kept digits: `frac + 30`
 * digits of it are far below the spacing of doubles at any magnitude pprof prints.
 */
export function goFixed(x: number, frac: number): string {
  const rounded = x.toFixed(frac);
  const exact = Math.abs(x).toFixed(Math.min(100, frac + 30));
  const point = exact.indexOf('.');
  if (!/^50*$/.test(exact.slice(point + 1 + frac))) return rounded;
  const down = exact.slice(0, frac > 0 ? point + 1 + frac : point);
  if (Number(down[down.length - 1]) % 2 === 1) return rounded;
  return (x < 0 && /[1-9]/.test(down) ? '-' : '') + down;
}

/** Go's %.2f. */
function fixed2(v: number): string {
  return goFixed(v, 2);
}

/** pprof's ScaledLabel: "6.09s", "512.34kB", "0". */
export function formatValue(value: number, unit: string, toUnit = 'auto'): string {
  const [v, u] = scaleValue(value, unit, toUnit);
  let sv = fixed2(v);
  if (sv.endsWith('.00')) sv = sv.slice(0, -3);
  if (sv === '0' || sv === '-0') return '0';
  return sv + u;
}

/**
 * The unit pprof's text reports use for all rows (report.selectOutputUnit): the unit of the
 * smallest non-zero row, bumped up when the total is more than 100× larger. `ratio`: pprof's
 * 1/-divide_by, applied to both first (as pprof, only when positive).
 */
export function selectOutputUnit(values: number[], total: number, unit: string, ratio = 1): string {
  let minValue = 0;
  for (const v of values) {
    const a = Math.abs(v);
    if (a > 0 && (minValue === 0 || a < minValue)) minValue = a;
  }
  let maxValue = total;
  if (minValue === 0) minValue = maxValue;
  if (ratio > 0 && ratio !== 1) {
    minValue = Math.trunc(minValue * ratio);
    maxValue = Math.trunc(maxValue * ratio);
  }
  const minUnit = scaleValue(minValue, unit, 'minimum')[1];
  const maxUnit = scaleValue(maxValue, unit, 'minimum')[1];
  if (minUnit !== maxUnit && minValue * 100 < maxValue)
    return scaleValue(100 * minValue, unit, 'minimum')[1];
  return minUnit === '' ? unit : minUnit;
}

/**
 * Go's %.2g: two significant digits, ties to even, exponent form when the exponent is below
 * -4 or at least 2 (8.2e-05; JavaScript's toPrecision waits until -7), trailing zeros dropped.
 * Rounded on the double's exact decimal expansion, as strconv does.
 */
export function goG2(x: number): string {
  if (x === 0) return '0';
  const exact = Math.abs(x).toFixed(100);
  const point = exact.indexOf('.');
  const all = exact.replace('.', '');
  const first = all.search(/[1-9]/);
  let exp = point - first - 1;
  const kept = all.slice(first, first + 2).padEnd(2, '0');
  const rest = all.slice(first + 2);
  const tie = /^50*$/.test(rest);
  const up = tie ? Number(kept[1]) % 2 === 1 : /^[5-9]/.test(rest);
  let sig = up ? String(Number(kept) + 1) : kept;
  if (sig.length > 2) {
    // 9.96 → 10: one more power of ten.
    sig = sig.slice(0, 2);
    exp++;
  }
  const sign = x < 0 ? '-' : '';
  if (exp < -4 || exp >= 2) {
    const mantissa = sig[1] === '0' ? sig[0] : `${sig[0]}.${sig[1]}`;
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const fixed =
    exp === 1 ? sig : exp === 0 ? `${sig[0]}.${sig[1]}` : `0.${'0'.repeat(-exp - 1)}${sig}`;
  const trimmed = fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
  return sign + trimmed;
}

/** pprof's measurement.Percentage: "41.29%", "  100%", " 0.5%". */
export function formatPercent(value: number, total: number): string {
  const ratio = total !== 0 ? Math.abs(value / total) * 100 : 0;
  if (ratio >= 99.95 && ratio <= 100.05) return '  100%';
  if (ratio >= 1) return `${goFixed(ratio, 2).padStart(5)}%`;
  return `${goG2(ratio).padStart(5)}%`;
}

const binaryUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

function trimNumber(v: number, digits: number): string {
  return v
    .toFixed(digits)
    .replace(/\.0+$/, '')
    .replace(/(\.\d*?)0+$/, '$1');
}

/** Compact human form for the UI: "1.23 s", "450 ms", "12.5 MiB", "1.2k". */
export function formatValueShort(value: number, unit: string): string {
  const neg = value < 0;
  const a = Math.abs(value);
  const sign = neg ? '-' : '';
  const u = unit.toLowerCase();
  if (u === 'bytes' || u === 'byte' || u === 'b') {
    let i = 0;
    let v = a;
    while (v >= 1024 && i < binaryUnits.length - 1) {
      v /= 1024;
      i++;
    }
    return `${sign}${trimNumber(v, v >= 100 || i === 0 ? 0 : 1)} ${binaryUnits[i]}`;
  }
  if (sniffUnit(unitTypes[1], u)) {
    const [v, name] = scaleValue(a, unit, 'auto');
    return `${sign}${trimNumber(v, v >= 100 ? 0 : 2)} ${name}`;
  }
  if (a >= 1e9) return `${sign}${trimNumber(a / 1e9, 1)}G`;
  if (a >= 1e6) return `${sign}${trimNumber(a / 1e6, 1)}M`;
  if (a >= 1e4) return `${sign}${trimNumber(a / 1e3, 1)}k`;
  return `${sign}${trimNumber(a, 0)}`;
}
