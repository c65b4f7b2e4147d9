"""The pages (tabs) of the web UI, one module each: its handlers (a public class) and its components."""
