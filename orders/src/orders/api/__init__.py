"""HTTP routes: orders (holds, lifecycle, check-in) and live availability."""
