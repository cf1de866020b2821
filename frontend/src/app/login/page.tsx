import { AuthForm } from "@/components/shell/AuthForm";

export default function LoginPage() {
  return <AuthForm mode="login" />;
}
