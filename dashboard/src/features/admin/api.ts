import type {
  ServiceCenterImportResult,
  ServiceCenterInput,
  ServiceCenterView,
  UpdateServiceCenterInput,
  AdminCategoryView,
  AdminDepartmentView,
  AdminRegionDetail,
  AdminRegionView,
  AdminUserView,
  AuditEntryView,
  LoginAuditView,
  AuditListQuery,
  CreateCategoryInput,
  CreateDutyInput,
  CreateRegionInput,
  CreateUserInput,
  DepartmentInput,
  DutyView,
  HolidayScheduleInput,
  Open311KeyCreated,
  Open311KeyView,
  ImportGridsResult,
  Page,
  SlaCalendarInput,
  SlaCalendarView,
  SlaPolicyInput,
  SlaPolicyView,
  UpdateCategoryInput,
  UpdateDepartmentInput,
  UpdateRegionInput,
  UpdateUserInput,
  UserListQuery,
} from '@gridline/shared';
import { http } from '@/api/http';

/** The admin API (`/api/v1/admin`), one function per route. Errors arrive as HttpError with the server's code and message. */
export const adminApi = {
  regions: () => http.get<AdminRegionView[]>('/admin/regions'),
  region: (id: number) => http.get<AdminRegionDetail>(`/admin/regions/${id}`),
  createRegion: (input: CreateRegionInput) => http.post<AdminRegionView>('/admin/regions', input),
  updateRegion: (id: number, input: UpdateRegionInput) => http.patch<AdminRegionView>(`/admin/regions/${id}`, input),
  deleteRegion: (id: number) => http.delete<void>(`/admin/regions/${id}`),
  importGrids: (geojson: unknown, dryRun: boolean) =>
    http.post<ImportGridsResult>('/admin/regions/import', { geojson, dryRun }, { timeoutMs: 120_000 }),

  departments: () => http.get<AdminDepartmentView[]>('/admin/departments'),
  createDepartment: (input: DepartmentInput) => http.post<AdminDepartmentView>('/admin/departments', input),
  updateDepartment: (id: number, input: UpdateDepartmentInput) => http.patch<AdminDepartmentView>(`/admin/departments/${id}`, input),
  duties: (departmentId: number) => http.get<DutyView[]>('/admin/duties', { query: { departmentId } }),
  createDuty: (input: CreateDutyInput) => http.post<DutyView>('/admin/duties', input),
  deleteDuty: (id: number) => http.delete<void>(`/admin/duties/${id}`),
  serviceCenters: () => http.get<ServiceCenterView[]>('/admin/service-centers', { query: { includeInactive: true } }),
  createServiceCenter: (input: ServiceCenterInput) => http.post<ServiceCenterView>('/admin/service-centers', input),
  updateServiceCenter: (id: number, input: UpdateServiceCenterInput) =>
    http.patch<ServiceCenterView>(`/admin/service-centers/${id}`, input),
  deleteServiceCenter: (id: number) => http.delete<void>(`/admin/service-centers/${id}`),
  importServiceCenters: (geojson: unknown, dryRun: boolean) =>
    http.post<ServiceCenterImportResult>('/admin/service-centers/import', { geojson, dryRun }),

  open311Keys: () => http.get<Open311KeyView[]>('/admin/open311-keys'),
  createOpen311Key: (name: string) => http.post<Open311KeyCreated>('/admin/open311-keys', { name }),
  revokeOpen311Key: (id: number) => http.delete<Open311KeyView>(`/admin/open311-keys/${id}`),

  categories: () => http.get<AdminCategoryView[]>('/admin/categories'),
  createCategory: (input: CreateCategoryInput) => http.post<AdminCategoryView>('/admin/categories', input),
  updateCategory: (id: number, input: UpdateCategoryInput) => http.patch<AdminCategoryView>(`/admin/categories/${id}`, input),

  users: (query: UserListQuery) => http.get<Page<AdminUserView>>('/admin/users', { query: { ...query } }),
  createUser: (input: CreateUserInput) => http.post<AdminUserView>('/admin/users', input),
  updateUser: (id: number, input: UpdateUserInput) => http.patch<AdminUserView>(`/admin/users/${id}`, input),
  resetPassword: (id: number, password: string) => http.post<AdminUserView>(`/admin/users/${id}/reset-password`, { password }),
  unlockUser: (id: number) => http.post<AdminUserView>(`/admin/users/${id}/unlock`, {}),

  calendars: () => http.get<SlaCalendarView[]>('/admin/sla/calendars'),
  createCalendar: (input: SlaCalendarInput) => http.post<SlaCalendarView>('/admin/sla/calendars', input),
  updateCalendar: (id: number, input: Partial<SlaCalendarInput>) => http.patch<SlaCalendarView>(`/admin/sla/calendars/${id}`, input),
  importHolidays: (calendarId: number, schedule: HolidayScheduleInput) =>
    http.post<{ calendarId: number; year: number; holidays: number; makeUpWorkdays: number }>(
      `/admin/sla/calendars/${calendarId}/holidays`,
      schedule,
    ),
  policies: () => http.get<SlaPolicyView[]>('/admin/sla/policies'),
  upsertPolicy: (input: SlaPolicyInput) => http.put<SlaPolicyView>('/admin/sla/policies', input),
  deletePolicy: (id: number) => http.delete<void>(`/admin/sla/policies/${id}`),

  audit: (query: AuditListQuery) => http.get<Page<AuditEntryView>>('/admin/audit', { query: { ...query } }),
  logins: (query: { username?: string; outcome?: LoginAuditView['outcome']; page?: number; pageSize?: number }) =>
    http.get<Page<LoginAuditView>>('/admin/login-audit', { query: { ...query } }),
};
