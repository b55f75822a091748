/** The wall's ECharts theme: dark navy, cyan and teal accents, large readable labels. Plain data. */
export const WALL_THEME_NAME = 'gridline-wall';

export const WALL_COLORS = {
  reported: '#2fd5ff',
  resolved: '#3ef0a8',
  warn: '#ffb547',
  danger: '#ff5f6d',
  text: '#d9e8ff',
  muted: '#8fa7cc',
  line: 'rgba(120, 170, 240, 0.16)',
} as const;

export const WALL_PALETTE = ['#2fd5ff', '#3e8bff', '#3ef0a8', '#ffb547', '#9d7bff', '#ff7aa8', '#5be0d0', '#f5e663', '#ff8a4c', '#7fa8ff'];

const axis = {
  axisLine: { lineStyle: { color: 'rgba(120, 170, 240, 0.35)' } },
  axisTick: { show: false },
  axisLabel: { color: WALL_COLORS.muted, fontSize: 13 },
  splitLine: { lineStyle: { color: WALL_COLORS.line, type: 'dashed' } },
};

export const WALL_THEME = {
  darkMode: true,
  color: WALL_PALETTE,
  backgroundColor: 'transparent',
  textStyle: {
    color: WALL_COLORS.text,
    fontFamily: "'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif",
  },
  legend: { textStyle: { color: WALL_COLORS.text, fontSize: 14 }, itemWidth: 14, itemHeight: 8 },
  tooltip: {
    backgroundColor: 'rgba(6, 20, 44, 0.92)',
    borderColor: 'rgba(47, 213, 255, 0.5)',
    textStyle: { color: '#eaf4ff', fontSize: 14 },
  },
  categoryAxis: axis,
  valueAxis: axis,
  timeAxis: axis,
};
