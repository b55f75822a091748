import type { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { PRIORITIES, type ActionInputs, type IssueTransitionAction, type Priority } from '@gridline/shared';
import { ID_MAX, IsId } from '../../common/id';

/**
 * One body class per action, each the action's fields plus the issue `version` the caller saw; ACTION_DTOS below checks each against ActionInputs.
 * The class names are the schema names in the OpenAPI document; keep each @ApiProperty in step with the class-validator rules beside it.
 */
export class VersionedActionDto {
  @ApiProperty({
    description: 'The issue `version` the caller saw (from the issue detail); a stale one is refused with 409 ISSUE_VERSION_CONFLICT',
    type: 'integer',
    minimum: 1,
    example: 3,
  })
  @IsInt()
  @Min(1)
  @Max(ID_MAX)
  version!: number;
}

/** accept, resume, verify, provide_info (the reporter's answer: a note, photos or both). */
export class OptionalNoteActionDto extends VersionedActionDto {
  @ApiPropertyOptional({
    description: '备注 Note for the timeline, 1–2000 characters',
    minLength: 1,
    maxLength: 2000,
    example: '已核实，情况属实',
  })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

/** resolve_on_site, resolve, supervise, request_info (the question to the reporter). */
export class RequiredNoteActionDto extends VersionedActionDto {
  @ApiProperty({
    description: '说明 What was done (for supervise: why the issue is being supervised, 督办理由), 1–2000 characters',
    minLength: 1,
    maxLength: 2000,
    example: '垃圾已清运，路面已冲洗',
  })
  @IsString()
  @Length(1, 2000)
  note!: string;
}

/** reject, return, suspend, reopen, request_hold, decline_hold, escalate. */
export class ReasonActionDto extends VersionedActionDto {
  @ApiProperty({ description: '原因 Why, 1–2000 characters', minLength: 1, maxLength: 2000, example: '不属于本部门职责范围' })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

/** merge. */
export class MergeActionDto extends OptionalNoteActionDto {
  @ApiProperty({
    description:
      '主工单 The issue this one duplicates: visible to the caller, neither merged nor rejected, and not this issue (else 422 MERGE_TARGET_INVALID)',
    type: 'integer',
    minimum: 1,
    example: 42,
  })
  @IsId()
  primaryIssueId!: number;
}

/** dispatch. */
export class DispatchActionDto extends OptionalNoteActionDto {
  @ApiProperty({ description: '承办部门 The department to dispatch to (GET /api/v1/departments)', type: 'integer', minimum: 1, example: 5 })
  @IsId()
  departmentId!: number;
}

/** sign. */
export class SignActionDto extends OptionalNoteActionDto {
  @ApiPropertyOptional({
    description:
      '承办人 Who will work the task: an active lead or staff member of the issue department; the caller when left out. Department staff may only sign for themselves (or an away colleague they back up)',
    type: 'integer',
    minimum: 1,
    example: 23,
  })
  @IsOptional()
  @IsId()
  assigneeId?: number;
}

/** assign (改派): the task goes to another member of the department. */
export class AssignActionDto extends OptionalNoteActionDto {
  @ApiProperty({
    description:
      '承办人 The new assignee: an active lead or staff member of the issue department other than the current one (else 422 ASSIGNEE_NOT_IN_DEPARTMENT / 409 ASSIGNEE_UNCHANGED)',
    type: 'integer',
    minimum: 1,
    example: 23,
  })
  @IsId()
  assigneeId!: number;
}

/** request_extension. */
export class RequestExtensionActionDto extends ReasonActionDto {
  /** Up to 30 days. */
  @ApiProperty({
    description: '延期时长 Extra time asked for, in minutes: 1 to 43200 (30 days)',
    type: 'integer',
    minimum: 1,
    maximum: 30 * 24 * 60,
    example: 1440,
  })
  @IsInt()
  @Min(1)
  @Max(30 * 24 * 60)
  minutes!: number;
}

/** decide_extension. */
export class DecideExtensionActionDto extends OptionalNoteActionDto {
  @ApiProperty({ description: '是否批准 Approve (true) or deny (false) the pending extension request', example: true })
  @IsBoolean()
  approve!: boolean;
}

/** evaluate. */
export class EvaluateActionDto extends VersionedActionDto {
  @ApiProperty({ description: '评分 Satisfaction score, 1 (worst) to 5 (best)', type: 'integer', minimum: 1, maximum: 5, example: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  score!: number;

  @ApiPropertyOptional({ description: '评价 Comment, 1–2000 characters', minLength: 1, maxLength: 2000, example: '处理及时，满意' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}

/** reclassify: a new category, priority or both; the SLA clocks are recomputed keeping elapsed and paused time. */
export class ReclassifyActionDto extends OptionalNoteActionDto {
  @ApiPropertyOptional({ description: '类别 The new 小类 (GET /api/v1/categories)', type: 'integer', minimum: 1, example: 12 })
  @IsOptional()
  @IsId()
  categoryId?: number;

  @ApiPropertyOptional({ description: '紧急程度 The new priority', enum: PRIORITIES, example: 'urgent' })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;
}

export const ACTION_DTOS: { [A in IssueTransitionAction]: Type<ActionInputs[A]> } = {
  resolve_on_site: RequiredNoteActionDto,
  accept: OptionalNoteActionDto,
  reject: ReasonActionDto,
  merge: MergeActionDto,
  dispatch: DispatchActionDto,
  sign: SignActionDto,
  return: ReasonActionDto,
  suspend: ReasonActionDto,
  resume: OptionalNoteActionDto,
  resolve: RequiredNoteActionDto,
  verify: OptionalNoteActionDto,
  reopen: ReasonActionDto,
  request_extension: RequestExtensionActionDto,
  decide_extension: DecideExtensionActionDto,
  supervise: RequiredNoteActionDto,
  evaluate: EvaluateActionDto,
  reclassify: ReclassifyActionDto,
  request_info: RequiredNoteActionDto,
  provide_info: OptionalNoteActionDto,
  request_hold: ReasonActionDto,
  decline_hold: ReasonActionDto,
  assign: AssignActionDto,
  escalate: ReasonActionDto,
};

/** The distinct body classes, for the OpenAPI document (`oneOf`). */
export const ACTION_DTO_CLASSES: Type<unknown>[] = [...new Set<Type<unknown>>(Object.values(ACTION_DTOS))];

export type AnyActionInput = ActionInputs[IssueTransitionAction];
