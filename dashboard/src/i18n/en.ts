import { adminEn } from '@/features/admin/messages';
import { notifyEn } from '@/features/notifications/messages';
import { consoleEn } from '@/features/console/messages';
import { deptEn } from '@/features/dept/messages';
import { issueEn } from '@/features/issues/messages';
import { residentEn } from '@/features/r/messages';
import { volunteerEn } from '@/features/v/messages';
import { mobileEn } from '@/features/m/messages';
import { wallEn } from '@/features/wall/messages';
import { kpiEn } from '@/features/kpi/messages';
import type { Messages } from './zh-CN';

export const en: Messages = {
  'app.name': 'Gridline',
  'app.title': 'Gridline Grid Governance Command Platform',
  'app.tagline': 'Grid governance · Issue handling',
  'app.skipToContent': 'Skip to main content',

  'locale.label': 'Language',
  'locale.zh-CN': '中文',
  'locale.en': 'English',

  'login.pageTitle': 'Sign in',
  'login.heading': 'Sign in',
  'login.subheading': 'Use your work account to sign in',
  'login.intro':
    'Field reports, dispatch, department handling and city-wide monitoring in one place, so every issue has an owner and an outcome.',
  'login.feature.report': 'Grid workers report on site with photos and location',
  'login.feature.dispatch': 'The command center accepts, dispatches and supervises',
  'login.feature.handle': 'Departments sign for, resolve and close the loop',
  'login.feature.monitor': 'The command wall shows the live picture',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.usernamePlaceholder': 'Enter your username',
  'login.passwordPlaceholder': 'Enter your password',
  'login.showPassword': 'Show password',
  'login.hidePassword': 'Hide password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.required.username': 'Please enter your username',
  'login.required.password': 'Please enter your password',
  'login.required.both': 'Please enter your username and password',
  'login.error.title': 'Sign-in failed',
  'login.demo.title': 'Demo accounts',
  'login.demo.hint': 'Every demo account uses the password {password}. Click an account to fill it in.',
  'login.demo.fill': 'Fill in {username} ({role})',
  'login.footer': 'Authorized personnel only · All actions are logged',

  'error.network': 'Cannot reach the server. Check the network and try again.',
  'error.timeout': 'The server took too long to respond. Please try again.',
  'error.unknown': 'Request failed: {message}',
  'error.fieldInvalid': 'Not valid (format or length).',

  'nav.home': 'Back to home',
  'nav.logout': 'Sign out',
  'nav.mainLabel': 'Main navigation',

  'home.pageTitle': 'Home',
  'home.greeting': 'Hello, {name}',
  'home.role': 'Role',
  'home.username': 'Account',
  'home.scope': 'Scope',
  'home.scope.regions': 'Regions',
  'home.scope.grids': 'Grids',
  'home.scope.department': 'Department',
  'home.scope.all': 'Everything (administrator)',
  'home.scope.none': 'Not assigned yet; please contact an administrator',
  'home.scope.regionItem': 'Region #{id}',
  'home.scope.gridItem': 'Grid #{id}',
  'home.scope.departmentItem': 'Department #{id}',
  'home.scope.covering': 'includes colleagues you are covering for',
  'home.away': 'You are marked as away; your backup colleague handles your issues meanwhile.',
  'home.areas': 'My workspaces',
  'home.noAreas': 'Your role has no workspace yet; please contact an administrator.',
  'home.enter': 'Open',
  'home.denied': 'Your role cannot open “{area}”, so you are back on the home page.',

  'area.wall.title': 'Command wall',
  'area.wall.desc': 'Live city-wide picture of issues',
  'area.m.title': 'Grid worker mobile',
  'area.m.desc': 'Report, resolve on site and verify',
  'area.r.title': 'Resident reports',
  'area.r.desc': 'Report problems, follow progress, evaluate',
  'area.v.title': 'Volunteering',
  'area.v.desc': 'Claim wishes and service needs, earn service hours',
  'area.console.title': 'Dispatch console',
  'area.console.desc': 'Accept, dispatch and supervise issues',
  'area.dept.title': 'Department workbench',
  'area.dept.desc': 'Sign for, resolve, request extensions',
  'area.admin.title': 'Administration',
  'area.admin.desc': 'Users, grids, departments and categories',

  'comingSoon.badge': 'In progress',
  'comingSoon.title': '{area} is coming soon',
  'comingSoon.body': 'This area arrives in a later release.',

  'notFound.pageTitle': 'Page not found',
  'notFound.title': 'Page not found',
  'notFound.body': 'The address you opened does not exist or has been removed.',

  ...wallEn,
  ...mobileEn,
  ...residentEn,
  ...volunteerEn,
  ...consoleEn,
  ...deptEn,
  ...notifyEn,
  ...adminEn,
  ...issueEn,
  ...kpiEn,
};
