/** Messages of the /dept area; keys start with `dept.`. zh-CN is the reference, English must match it. */
export const deptZh = {
  'dept.title': '部门工作台',
  'dept.tab.toSign': '待签收',
  'dept.tab.working': '处置中',
  'dept.tab.suspended': '挂账',
  'dept.tab.mine': '指派给我',
  'dept.tab.done': '已办结',
  'dept.empty': '暂无任务',
  'dept.pick': '请选择左侧的任务',
  'dept.dispatchedAt': '更新于 {at}',
} as const satisfies Record<string, string>;

export const deptEn: Record<keyof typeof deptZh, string> = {
  'dept.title': 'Department workbench',
  'dept.tab.toSign': 'To sign',
  'dept.tab.working': 'In progress',
  'dept.tab.suspended': 'On hold',
  'dept.tab.mine': 'Assigned to me',
  'dept.tab.done': 'Resolved',
  'dept.empty': 'No tasks',
  'dept.pick': 'Pick a task on the left',
  'dept.dispatchedAt': 'Updated {at}',
};
