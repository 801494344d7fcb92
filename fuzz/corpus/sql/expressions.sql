select case x when 1 then 'a' else E'b\n' end, extract(year from date '2024-01-01'),
  substring(s from 1 for 2), position('a' in s), trim(leading 'x' from s), "Quoted ""id""",
  interval '3' month + interval 3 days - interval '1 day', timestamp '2024-01-01 00:00:00',
  a // 2 % 3 || 'x', not exists (select 1), x in (select y from z), .5e-3, 1e10, ?, $1 -- end
  /* nested /* comment */ */
