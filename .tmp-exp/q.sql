select calls, round(total_exec_time::numeric,0) ms, round(mean_exec_time::numeric,3) mean, rows, left(regexp_replace(query,'\s+',' ','g'),110) q from pg_stat_statements order by total_exec_time desc limit 25;
select sum(calls) calls, round(sum(total_exec_time)::numeric) ms from pg_stat_statements;
