export { count } from "@/components/ui/format";
