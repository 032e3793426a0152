"""Reading a secretariat's notice (innkalling) into a meeting, its cases, deadlines and plan."""
