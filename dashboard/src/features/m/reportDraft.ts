import { reactive } from 'vue';
import { defineStore } from 'pinia';
import type { Priority } from '@gridline/shared';
import type { PlaceValue } from './LocationField.vue';

/** The report being written; kept while the worker looks at other tabs, cleared once it is queued. */
export interface ReportForm {
  categoryId: number | null;
  description: string;
  address: string;
  priority: Priority;
  photos: Blob[];
  place: PlaceValue;
  onSite: boolean;
  onSiteNote: string;
  afterPhotos: Blob[];
}

const blank = (): ReportForm => ({
  categoryId: null,
  description: '',
  address: '',
  priority: 'normal',
  photos: [],
  place: { gridId: null, lat: null, lng: null },
  onSite: false,
  onSiteNote: '',
  afterPhotos: [],
});

export const useReportDraft = defineStore('m-report-draft', () => {
  const form = reactive(blank());
  /** Clears the report; the place stays (the worker is most likely still standing there). */
  function reset(): void {
    Object.assign(form, { ...blank(), place: form.place });
  }
  return { form, reset };
});
